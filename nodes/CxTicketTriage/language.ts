/**
 * What a ticket's words say, by rules a person can read: intents, sentiment, threats and urgency.
 * Pure and deterministic: no model, no network. Every match is reported so a decision can cite it.
 */
import { BANG, SYMBOL, WORD, scanText, type Scan } from './scan';

export const INTENTS = [
	'shipping_status',
	'shipping_delay',
	'damaged',
	'wrong_item',
	'missing_item',
	'refund_request',
	'return_request',
	'exchange_request',
	'cancellation',
	'billing',
	'order_change',
	'discount_issue',
	'product_question',
	'feedback',
	'praise',
] as const;

export type Intent = (typeof INTENTS)[number] | 'general';

interface Cue {
	pattern: RegExp;
	weight: number;
}

const cue = (pattern: RegExp, weight = 1): Cue => ({ pattern, weight });

/** Weight 1 is a clear cue on its own; below 1 only adds up with others. */
const INTENT_CUES: Record<(typeof INTENTS)[number], Cue[]> = {
	shipping_status: [
		cue(/\bwhere(?:'s| is) my (?:order|package|parcel|print|delivery)\b/),
		cue(/\btracking (?:number|info(?:rmation)?|link|code)\b/),
		cue(/\b(?:order|shipping|delivery) (?:status|update)\b/),
		cue(/\bhas (?:it|my order|my package) (?:been )?shipped\b/),
		cue(/\bwhen will (?:it|my order|my package|my print)s? (?:arrive|ship|be (?:delivered|shipped))\b/),
		cue(/\btrack(?:ing)? (?:my|the) (?:order|package|parcel)\b/),
	],
	shipping_delay: [
		cue(/\b(?:still|has not|hasn't|have not|haven't|not yet|never) (?:arrived|received|been delivered|come|shipped)\b/),
		cue(/\b(?:delayed|late delivery|running late|overdue|stuck in transit|lost in (?:the )?(?:post|mail|transit))\b/),
		cue(/\b(?:weeks?|days?) (?:late|overdue|past the (?:estimated|expected|promised) (?:date|delivery))\b/),
		cue(/\btaking (?:so|too|way too) long\b/),
		cue(/\b(?:late|delay)\b/, 0.6),
	],
	damaged: [
		cue(/\b(?:arrived|came|was|is|got) (?:damaged|broken|cracked|torn|ripped|dented|smashed|bent|creased)\b/),
		cue(/\b(?:damaged|broken|cracked|shattered|torn|ripped|dented|smashed|defective|faulty|scratched)\b/),
		cue(/\b(?:glass|frame|canvas|corner|print) (?:is|was) (?:damaged|broken|cracked|bent|torn)\b/),
	],
	wrong_item: [
		cue(/\bwrong (?:item|size|colou?r|print|product|order|frame|artwork|one)\b/),
		cue(/\bnot what i (?:ordered|paid for)\b/),
		cue(/\b(?:received|got|sent(?: me)?) (?:the |a )?(?:wrong|different) (?:item|print|product|size|one)\b/),
	],
	missing_item: [
		cue(/\bmissing (?:item|piece|part|print|frame|hardware)s?\b/),
		cue(/\b(?:item|piece|part|print|frame)s? (?:is|are|was|were) missing\b/),
		cue(/\bonly (?:got|received) (?:one|part|half)\b/),
		cue(/\bempty (?:box|package|parcel)\b/),
	],
	refund_request: [
		cue(/\brefund(?:ed)?\b/),
		cue(/\b(?:my|our) money back\b/),
		cue(/\breimburse(?:ment|d)?\b/),
	],
	return_request: [
		cue(/\breturn(?:ing)? (?:it|this|the|my|an?)\b/),
		cue(/\b(?:return label|return request|rma)\b/),
		cue(/\bsend (?:it|this|them) back\b/),
		cue(/\bhow (?:do|can) i return\b/),
	],
	exchange_request: [
		cue(/\bexchange (?:it|this|for|the|my)\b/),
		cue(/\bswap (?:it|this) for\b/),
		cue(/\b(?:a )?different size instead\b/),
	],
	cancellation: [
		cue(/\bcancel(?:l?ation|l?ed|l?ing)? (?:my|the|this|an?) ?(?:order|purchase|subscription)?\b/),
		cue(/\bplease cancel\b/),
		cue(/\bdon'?t want (?:it|the order|this order) any ?more\b/),
	],
	billing: [
		cue(/\b(?:charged twice|double[- ]charged|overcharged|charged (?:me )?(?:again|more than))\b/),
		cue(/\b(?:unauthori[sz]ed|unknown|duplicate) (?:charge|payment|transaction)\b/),
		cue(/\bpayment (?:failed|declined|issue|problem|error)\b/),
		cue(/\b(?:invoice|receipt|billing|vat|sales tax)\b/, 0.6),
	],
	order_change: [
		cue(/\b(?:change|update|modify|edit|correct) (?:my |the )?(?:shipping |delivery )?(?:address|order|size|frame)\b/),
		cue(/\b(?:wrong|old) (?:shipping |delivery )?address\b/),
		cue(/\badd (?:an? item|something|another print) to (?:my|the) order\b/),
	],
	discount_issue: [
		cue(/\b(?:discount|promo|coupon|voucher|gift card)(?: code)? (?:is |was )?(?:not working|doesn'?t work|didn'?t work|invalid|expired|didn'?t apply|won'?t apply|not applied)\b/),
		cue(/\bforgot (?:to use|my) (?:the )?(?:discount|promo|coupon)\b/),
	],
	product_question: [
		cue(/\b(?:do you (?:have|sell|offer|make|ship to)|is (?:it|this|the \w+) (?:available|in stock)|back in stock)\b/),
		cue(/\bwhat (?:size|sizes|material|materials|paper|ink|dimensions)\b/),
		cue(/\bhow (?:big|large|heavy|do i hang|should i hang|do i clean)\b/),
		cue(/\b(?:dimensions|care instructions|framing options|custom size)\b/),
	],
	feedback: [
		cue(/\b(?:suggestion|feedback|feature request|would be (?:nice|great) if|you (?:should|could) (?:add|offer|make))\b/),
	],
	praise: [
		cue(/\b(?:love|loved|loving) (?:it|the|my|this|your)\b/),
		cue(/\b(?:beautiful|gorgeous|stunning|amazing|wonderful|fantastic|exceeded (?:my )?expectations)\b/, 0.6),
		cue(/\b(?:great|excellent|fast|quick|lovely) (?:service|quality|job|packaging|delivery|shipping)\b/),
	],
};

/**
 * Public threats that a person must see first (DESIGN.md: chargeback, dispute, lawyer, public review), several
 * wordings a kind. Broad on purpose: a missed chargeback costs more than a look; the learned model's threat head
 * (triage.ts) and the negation, praise and question checks (threatsIn) keep calm tickets out.
 */
const SOCIAL = '(?:social media|social|twitter|x|instagram|insta|facebook|fb|tiktok|reddit|r/\\w+|youtube|linkedin|threads|mumsnet|every forum)';
const ENGLISH_THREAT_CUES: Array<[string, RegExp]> = [
	['chargeback', /\bcharge[- ]?backs?\b/],
	['chargeback', /\b(?:go(?:ing)? to|contact(?:ing)?|call(?:ing)?|ring(?:ing)?|ask(?:ing)?|get(?:ting)?|tell(?:ing)?|involv(?:e|ing)) (?:my|the) (?:bank|(?:credit |debit )?card (?:company|provider|issuer))\b/],
	// a section 75 claim (UK): the credit card's company refunds what the shop did not
	['chargeback', /\bsection 75\b/],
	['chargeback', /\b(?:reverse|reversing|revers(?:e|ing) the (?:charges?|payment)|claw(?:ing)? (?:it|the money) back|take the money back|stop the payment)\b/],
	['chargeback', /\bdisput(?:e|ed|ing) (?:it|them|this|the (?:charges?|payment|transaction)) with (?:my|the) (?:bank|card|credit card|visa|amex|mastercard)/],
	['dispute', /\bdispute (?:the |this |it|with)|\bfile an? dispute\b|\bopen(?:ing)? an? dispute\b/],
	['dispute', /\b(?:open(?:ing)?|fil(?:e|ing)|rais(?:e|ing)|start(?:ing)?|escalat(?:e|ing)) (?:an? |the )?(?:paypal |klarna |clearpay |afterpay )?(?:dispute|case|claim)\b/],
	['dispute', /\b(?:paypal|klarna|clearpay|afterpay) (?:dispute|case|claim|buyer protection)\b|\bitem not as described\b|\bnot as described claim\b/],
	['legal', /\b(?:lawyer|attorney|solicitor|legal action|legal advice|legal (?:steps|proceedings)|(?:further|next step is) legal(?:ly)?|take (?:you|this|it) to court|small claims|sue (?:you|your)|(?:going to|gonna|will|i'll|i'd) sue|suing|lawsuit|letter before action|see you in court|legal route|court claim)\b/],
	['regulator', /\b(?:better business bureau|bbb|trading standards|consumer protection|attorney general|ftc|citizens advice|ombudsman|asa|advertising standards|consumer council|ico)\b/],
	['regulator', /\breport(?:ing)? (?:you|this|it|them|your (?:store|shop|company)) to\b/],
	['public_review', /\b(?:(?:bad|negative|terrible|honest|scathing|1[- ]star|one[- ]star|zero[- ]star) reviews?|review on (?:trustpilot|google|yelp)|trustpilot|yelp|zero stars)\b/],
	['public_review', /\b(?:leav(?:e|ing)|writ(?:e|ing)|post(?:ing)?|updat(?:e|ing)) (?:a |an |the |my )?(?:\w+ ){0,2}reviews?\b/],
	['social_media', new RegExp(`\\b(?:post(?:ing)?|shar(?:e|ing)|put(?:ting)?|writ(?:e|ing) (?:it|this|you|all) up|spread(?:ing)?|tag(?:ging)? you)\\b[^.!?]{0,60}\\b(?:on|to|in) ${SOCIAL}\\b`)],
	['social_media', /\b(?:go(?:ing)? public|tell everyone|tell(?:ing)? (?:all )?(?:my )?(?:friends|family|everyone i know) (?:to avoid|not to (?:buy|order|shop))|making a video|go(?:ing)? viral|so (?:everyone|people) can see|my followers|warn (?:everyone|people|others))\b/],
	['fraud_claim', /\b(?:scam|scammed|scammers|scamming|fraud|fraudulent|con artists|thie(?:f|ves)|daylight robbery|report (?:you|this|your (?:store|company)))\b/],
	['chargeback', /\bcharg(?:e|ing) (?:it|this|them|the payment) back\b|\b(?:have|get|getting|had|got) (?:it|this|them|the (?:charges?|payment)) charged back\b/],
	['chargeback', /\b(?:tak(?:e|ing) (?:this|it) to|call(?:ing)?|ring(?:ing)?) (?:my )?(?:bank|credit card company|card company|card issuer|barclaycard|amex|american express|visa|mastercard|chase|capital one|monzo|revolut)\b/],
	['chargeback', /\bdisput(?:e|ed|ing) (?:the |this |my |every |each |all (?:the |of the |my )?)?(?:charges?|payments?|transactions?)\b/],
	// every payment disputed at once ("if no answer today i'm disputing all of them"), or through the payment provider
	['dispute', /\bdisput(?:e|ed|ing) (?:all|every one|each one) of them\b|\bdisput(?:e|ed|ing) (?:it|them|this|everything|every charge|the (?:charges?|payment)) (?:through|with|via|on) (?:paypal|klarna|clearpay|afterpay)\b/],
	['dispute', /\bopened an? (?:paypal |klarna )?(?:dispute|case|claim)\b|\bpaused the payment\b|\breported (?:the|my) order as not received\b/],
	// done already: a dispute filed, or a case or claim filed with the payment provider (a claim with the courier is not one)
	['dispute', /\b(?:filed|raised|started|escalated|lodged|submitted) (?:an? |the |my )?(?:(?:paypal |klarna |clearpay |afterpay )?dispute|(?:paypal|klarna|clearpay|afterpay) (?:case|claim)|(?:case|claim) (?:with|on|through|via) (?:paypal|klarna|clearpay|afterpay))\b/],
	// the bank or the card's company asked to get the money back, or the refund sought through them
	['chargeback', /\b(?:asked|told|instructed|got|getting) (?:my|the) (?:bank|card (?:company|provider|issuer)|credit card company) to\b|\b(?:through|via) (?:my|the) (?:bank|credit card(?: company)?|(?:credit |debit )?card (?:company|provider|issuer)) for (?:a |my )?(?:refund|money)\b|\b(?:money|refund) back (?:through|via) (?:my|the) (?:bank|credit card|(?:credit |debit )?card (?:company|provider|issuer))\b/],
	// a charge reported to the bank or the card's company is a chargeback on its way
	['chargeback', /\b(?:report(?:ed|ing)?|flagg(?:ed|ing)) (?:this |it |you |the (?:charges?|payment|transaction) |your (?:store|shop|company) )?to (?:my|the) (?:bank|card (?:company|provider|issuer)|credit card company)\b/],
];

/** The same threats as a store in Spanish, French and German markets reads them: run only when a word they need is there. */
const OTHER_LANGUAGE_THREAT_CUES: Array<[string, RegExp]> = [
	['chargeback', /\b(?:devuelvan el cargo|devolución del cargo|retroceder el cargo|anular el cargo|contracargo|reclamar? al banco|llamo al banco)\b/],
	['chargeback', /\b(?:hablar|hablaré|hablo|llamar|llamaré|acudir|acudiré|acudo|ir|iré|voy|contactar|contactaré) (?:con |a )?(?:mi|el) banco\b|\b(?:anular|devolver|retroceder|revertir) el pago\b/],
	['chargeback', /(?:conteste|contester|contestation) (?:le |du |ce )?(?:paiement|prélèvement|débit)|opposition (?:bancaire|sur (?:ma|la) carte|auprès de (?:ma|la) banque)|\b(?:faire|fais|ferai|fait) opposition\b|rétrofacturation/],
	['chargeback', /\b(?:zurückbuchen|rückbuchung|lastschrift (?:zurück|widerrufen|widersprechen)|zahlung (?:zurückholen|zurückfordern|stornieren lassen))/],
	['chargeback', /\b(?:buche ich|ich buche) [^.!?]{0,40}\bzurück\b|\b(?:meine|die) bank ein(?:schalten|schalte)\b|\bschalte (?:meine|die) bank ein\b/],
	['dispute', /(?:^|\s)(?:über|via|bei) paypal (?:zurück|zurückholen|zurückfordern|zurückbuchen)\b|\b(?:disputa (?:en|con) paypal|reclamación (?:en|a) paypal|litige (?:sur|avec) paypal|paypal[- ]käuferschutz|fall bei paypal|bei paypal einen fall)/],
	['legal', /\b(?:abogad[oa]s?|demanda judicial|acciones legales|avocats?|mise en demeure|action en justice|(?:porter|porterai|porte|déposer|déposerai) plainte|tribunal|anwalt|anwältin|rechtliche schritte|mahnverfahren|gericht|klage)\b/],
	['regulator', /\b(?:ocu|consumo|dgccrf|60 millions|verbraucherzentrale|schlichtungsstelle)\b/],
];
const THREAT_CUES: Array<[string, RegExp]> = [...ENGLISH_THREAT_CUES, ...OTHER_LANGUAGE_THREAT_CUES];

/** Any threat cue at all (a cue that matches in a sentence matches in the text: none is anchored); the English ones alone. */
const anyOf = (cues: Array<[string, RegExp]>) => new RegExp(cues.map(([, pattern]) => `(?:${pattern.source})`).join('|'));
const ANY_THREAT_CUE = anyOf(THREAT_CUES);
const ANY_ENGLISH_THREAT_CUE = anyOf(ENGLISH_THREAT_CUES);

/** The threat kinds, each once, in the order the cues name them. */
const THREAT_KINDS = [...new Set(THREAT_CUES.map(([name]) => name))];

/**
 * A negation governing a threat cue: the negator at most three words before it, no comma between ("I will not file
 * a chargeback", "I won't be doing a chargeback", "no lawyers needed", "je ne vais pas faire opposition"); "a charge I
 * did not make, this is fraud" and "if this isn't fixed I will file a chargeback" stay threats.
 */
/** "Don't make me go to my bank" is a threat, not a negation. */
const DARE = /\b(?:don'?t|do not) make me\b(?:\s+[^\s,;:]+){0,3}\s*$/;
const NEGATED = /\b(?:not|never|no|won'?t|wouldn'?t|don'?t|didn'?t|no intention of|no plans? to|without|rather than|instead of|nor|pas|jamais|nunca|nicht|kein|keine|keinen)\b(?:\s+[^\s,;:]+){0,3}\s*$/;
/**
 * "No answer", "no reply", "no refund": what the customer has not had, the condition of a threat, not its negation ("if no
 * answer today i'm disputing all of them", "no refund by friday and i'm calling my bank").
 */
const NO_NEWS = /\bno (?:answer|reply|response|refund|news|word|update|contact|delivery|parcel|money)\b/g;
/** Warm words around a review or post mention: "found you through your great Trustpilot reviews" praises, it does not threaten. */
const PRAISING = /\b(?:great|love|loved|amazing|excellent|glowing|good|wonderful|gorgeous|beautiful|stunning|lovely|obsessed|happy|perfect|thanks|thank you|5[- ]star|five[- ]star|brilliant|fantastic|thanks to|found you)\b/;
/** A claim with the courier or an insurer is about a lost parcel, not a dispute of the payment. */
const COURIER_CLAIM = /\b(?:claim|case) (?:with|against|through|via) (?:the |my )?(?:courier|carrier|delivery company|post office|postal service|royal mail|evri|hermes|dpd|dhl|ups|usps|fedex|parcelforce|yodel|canada post|australia post|insurance|insurer)\b/;
/** The shop's post ("saw your post on tiktok") or the shop asked to post ("will you post it on instagram?"): not the customer posting. */
const NOT_THE_CUSTOMER_POSTING = /\b(?:you|your|the|a|this|that|their|his|her)\s+$/;
/** A customer naming their own trade ("I'm a lawyer and need a frame for my office") names no legal threat. */
const OWN_TRADE = /\b(?:i'?m|i am|as|work(?:ing)? as|i work as) an?\s*$/;
/** Nor one naming someone by their trade ("a gift for my lawyer friend"). */
const SOMEONE_BY_TRADE = /^(?:lawyer|attorney|solicitor)s? (?:friends?|colleagues?|clients?)\b/;
/** A review left once the order is there or tried ("i'll leave a review once it arrives"): a promise, not a threat. */
const REVIEW_LATER = /^(?:\S+ ){0,5}?(?:reviews?|trustpilot|yelp) (?:once|when|after|as soon as)\b/;
const CONDEMNING = /\b(?:bad|negative|terrible|awful|worst|1[- ]star|one[- ]star|warn|expose|scam)\b/;
/**
 * A policy question, not a promise: "what happens if my bank reverses the charge?", "do you accept disputes?", also
 * after the shop's handle and a greeting, as public posts and chats open ("@shop hi, is this sale a scam?").
 */
const POLICY_QUESTION = /^\s*(?:@[\w.]+[,:]?\s+)*(?:(?:hi|hello|hey|hiya)(?: there| team| all)?[,!:]?\s+)?(?:what|how|do|does|can|could|is|are|would|should|if)\b[^?]*\?\s*$/;
const OWN_ACTION = /\b(?:i(?:'ll| will| am going to|'m going to| shall)|we(?:'ll| will)|going to|want me to|make me)\b/;

/** Where threat and urgency cues are read apart: a sentence's end, a semicolon, a line break. */
const SENTENCE_BREAK = /(?<=[.!?;])\s+|\n+/;

/** Each threat cue, to find every place it matches in a sentence. */
const everywhere = (cues: Array<[string, RegExp]>): Array<[string, RegExp]> => cues.map(([name, pattern]) => [name, new RegExp(pattern.source, 'g')]);
const THREAT_CUES_EVERYWHERE = everywhere(THREAT_CUES);
const ENGLISH_THREAT_CUES_EVERYWHERE = everywhere(ENGLISH_THREAT_CUES);

/**
 * Where the quotation a place in a sentence is inside opens, or -1 when it is not inside one (straight, curly and
 * French quotation marks).
 */
function quotationOpening(before: string): number {
	let straight = -1;
	const opened: number[] = [];
	for (let at = 0; at < before.length; at++) {
		const code = before.charCodeAt(at);
		if (code === 0x22) straight = straight < 0 ? at : -1;
		else if (code === 0x201c || code === 0xab) opened.push(at);
		else if (code === 0x201d || code === 0xbb) opened.pop();
	}
	return Math.max(straight, opened.length ? opened[opened.length - 1] : -1);
}

/**
 * Someone else's words quoted: the terms, an agent, the driver, a husband, a forum, a review, or the customer's own
 * earlier email ('my husband said "just charge it back"', 'your terms say: "customers who file chargebacks..."',
 * 'my last email said "I'll report this to my bank"'). A caller's own words in a call note ('her words: "...I'm
 * calling my bank"', 'told the agent he will "put it on TikTok"') stay the customer's.
 */
const SOMEONE_ELSE_SAID = /\b(?:your \w+|the (?:driver|courier|agent|terms|site|website|page|review|reviews|email|reply|policy)|my (?:husband|wife|partner|boyfriend|girlfriend|friends?|mum|mom|mother|dad|father|son|daughter|sister|brother|colleagues?|boss|neighbou?r|(?:last|previous|earlier|first) (?:email|message|reply))|someone|somebody|everyone|another customer|other customers|a review|reviews|people|they)\b(?:\s+[^\s"\u201c\u00ab]+){0,6}?\s+(?:said|says|say|wrote|writes|write|keeps? saying|kept saying|was like|were like|told me|tells me|posted)\b[^"\u201c\u00ab]*$/;

/** Whether a cue's match in a sentence is a threat the customer makes (see threatsIn). */
function threatens(name: string, sentence: string, match: RegExpExecArray): boolean {
	const before = sentence.slice(0, match.index);
	const opening = quotationOpening(before);
	if (opening >= 0 && SOMEONE_ELSE_SAID.test(before.slice(0, opening))) return false;
	if (NEGATED.test(before.replace(NO_NEWS, ' ')) && !DARE.test(before)) return false;
	// a review or a post mentioned with praise ("posting it on insta, it's gorgeous") praises, it does not threaten
	if ((name === 'public_review' || name === 'social_media') && PRAISING.test(sentence) && !CONDEMNING.test(sentence)) return false;
	if (name === 'public_review' && REVIEW_LATER.test(sentence.slice(match.index)) && !CONDEMNING.test(sentence)) return false;
	if (name === 'social_media' && NOT_THE_CUSTOMER_POSTING.test(before)) return false;
	if (name === 'legal' && (OWN_TRADE.test(before) || SOMEONE_BY_TRADE.test(sentence.slice(match.index)))) return false;
	if (name === 'dispute' && COURIER_CLAIM.test(sentence)) return false;
	return !(POLICY_QUESTION.test(sentence) && !OWN_ACTION.test(sentence));
}

/**
 * Threats the customer makes now, sentence by sentence (quoted replies are already gone, customerWords): a cue
 * under negation, a review mentioned with praise, or a policy question is not a threat. `otherLanguageWords` false:
 * the text has no word the Spanish, French and German cues need (wordFlags' OTHER_LANGUAGE_THREAT_WORD), so they
 * are not run.
 */
export function threatsIn(text: string, otherLanguageWords = true): string[] {
	// most tickets name no threat at all: one pass of all the cues together says so
	if (!(otherLanguageWords ? ANY_THREAT_CUE : ANY_ENGLISH_THREAT_CUE).test(text)) return [];
	const found = new Set<string>();
	for (const sentence of text.split(SENTENCE_BREAK)) {
		for (const [name, pattern] of otherLanguageWords ? THREAT_CUES_EVERYWHERE : ENGLISH_THREAT_CUES_EVERYWHERE) {
			if (found.has(name)) continue;
			pattern.lastIndex = 0;
			let match: RegExpExecArray | null;
			// every place a cue starts: a negated or a borrowed one does not hide a real one later in the sentence
			while ((match = pattern.exec(sentence)) !== null) {
				if (threatens(name, sentence, match)) {
					found.add(name);
					break;
				}
				pattern.lastIndex = match.index + 1;
			}
		}
	}
	return THREAT_KINDS.filter((name) => found.has(name));
}

const URGENCY_CUES: Array<[string, RegExp]> = [
	['urgent', /\b(?:urgent(?:ly)?|emergency|asap|a\.s\.a\.p)\b/],
	['immediately', /\b(?:immediately|right away|right now|as soon as possible)\b/],
	['deadline', /\b(?:need (?:it|this|them) by|before (?:the|my|our) (?:wedding|birthday|event|opening|party|move)|time[- ]sensitive|deadline)\b/],
	['today', /\b(?:by|before) (?:today|tomorrow|tonight)\b/],
];

const ANY_URGENCY_CUE = anyOf(URGENCY_CUES);

/**
 * "Not urgent", "nothing urgent", "not that urgent": the negation right before the word. Only the urgency words are
 * read so: "it won't arrive before the wedding" and "if you don't answer right away" are urgent.
 */
const NOT_URGENT = /\b(?:not|no|nothing|never)(?:\s+(?:so|that|too|very|really|super|particularly))?\s+$/;
/** A customer saying there is no hurry: the urgency words in the same sentence are not urgency ("as soon as possible would be great but no pressure"). */
const NO_HURRY = /\b(?:no rush|no hurry|no pressure|not in a rush|not in a hurry|in your own time|whenever (?:you|it'?s|is))\b/;

/**
 * The urgency cues in a text, lower case, sentence by sentence: "not urgent" is not, nor a sentence that says there
 * is no hurry.
 */
export function urgencyIn(text: string): string[] {
	if (!ANY_URGENCY_CUE.test(text)) return [];
	const found = new Set<string>();
	for (const sentence of text.split(SENTENCE_BREAK)) {
		if (NO_HURRY.test(sentence)) continue;
		for (const [name, pattern] of URGENCY_CUES) {
			const match = pattern.exec(sentence);
			if (match && !(name === 'urgent' && NOT_URGENT.test(sentence.slice(0, match.index)))) found.add(name);
		}
	}
	return URGENCY_CUES.map(([name]) => name).filter((name) => found.has(name));
}

const POSITIVE: Record<string, number> = {
	love: 3, loved: 3, beautiful: 2.5, gorgeous: 2.5, stunning: 2.5, amazing: 2.5, wonderful: 2.5, fantastic: 2.5,
	excellent: 2.5, perfect: 2.5, awesome: 2.5, great: 2, happy: 2, pleased: 2, delighted: 3, thrilled: 3,
	appreciate: 1.5, appreciated: 1.5, thanks: 1, thank: 1, helpful: 1.5, nice: 1.5, good: 1.5, lovely: 2,
	quick: 1, fast: 1, recommend: 2, impressed: 2, glad: 1.5,
};

/** Feelings weigh more than facts: "broken" or "late" describe the problem, "furious" the customer. */
const NEGATIVE: Record<string, number> = {
	angry: 3, furious: 3.5, terrible: 3, awful: 3, horrible: 3, worst: 3.5, disappointed: 2.5, disappointing: 2.5,
	unacceptable: 3, ridiculous: 2.5, frustrated: 2.5, frustrating: 2.5, upset: 2.5, annoyed: 2, poor: 2, bad: 2,
	useless: 2.5, scam: 3.5, fraud: 3.5, waste: 2.5, rude: 2.5, hate: 3, disgusted: 3, outraged: 3.5, appalled: 3,
	ignored: 2.5, lied: 3, unhappy: 2.5, complaint: 2, chargeback: 3, lawyer: 3, sad: 1.5, worried: 1.5,
	nobody: 1.5, problem: 1, never: 1, issue: 0.5, confused: 1, broken: 0.5, damaged: 0.5, cracked: 0.5,
	shattered: 1, defective: 0.5, faulty: 0.5, wrong: 0.5, late: 0.5, delayed: 0.5, missing: 0.5, refund: 0.5, still: 0.5,
};

/**
 * Emoji whose feeling is plain in a message to a shop, VADER's way (its lexicon scores emoji too): the model learns
 * the ones its train split has, this gives the others a weight (a public post's 🤬 or 😻). Left out: the ones used
 * both ways (😂 😭 😅 🙃 🥲 🔥 🖤 🙏 🤔).
 */
const EMOJI_VALENCE: Record<string, number> = {
	'😍': 2.5, '🥰': 2.5, '🤩': 2.5, '😻': 2.5, '❤': 2, '💕': 2, '💖': 2, '💗': 2, '💞': 2, '💘': 2, '🥳': 2, '🎉': 1.5,
	'🙌': 2, '👏': 1.5, '😊': 1.5, '😃': 1.5, '😄': 1.5, '😁': 1.5, '😀': 1.5, '🙂': 1, '☺': 1.5, '👍': 1.5, '👌': 1.5,
	'✨': 1, '⭐': 1, '🌟': 1.5, '💯': 1.5, '🤗': 1.5, '🥹': 1.5, '💙': 1.5, '💚': 1.5, '💛': 1.5, '💜': 1.5, '🧡': 1.5,
	'😡': -3, '🤬': -3.5, '😠': -3, '😤': -2.5, '👎': -2.5, '💔': -2.5, '🤮': -3, '🤢': -2.5, '😞': -2, '😔': -2,
	'😢': -2, '😩': -2, '😫': -2, '😖': -2, '😣': -2, '🙄': -2, '😒': -2, '☹': -2, '🙁': -2, '😟': -1.5, '🤦': -2,
	'😑': -1.5, '😕': -1.5, '😬': -1, '😓': -1.5, '😥': -1.5,
};

/**
 * Each lexicon word's and emoji's valence, positive above negative (a Map: no word is mistaken for an object's own
 * property). A scan's word never holds an emoji, nor its symbol a letter: one table serves both.
 */
const VALENCE = new Map<string, number>([
	...Object.entries(NEGATIVE).map(([word, weight]): [string, number] => [word, -weight]),
	...Object.entries(POSITIVE),
	...Object.entries(EMOJI_VALENCE),
]);

const NEGATORS = new Set(['not', 'no', 'never', "don't", 'dont', "didn't", 'didnt', "isn't", 'isnt', "wasn't",
	'wasnt', "aren't", "doesn't", 'doesnt', 'without', 'hardly', "can't", 'cant', "won't", 'wont']);
const INTENSIFIERS = new Set(['very', 'really', 'extremely', 'so', 'absolutely', 'completely', 'totally', 'incredibly', 'utterly']);

/** An intent and its strength: the rules' cue score and the cues that matched, or the model's probability and the words that weighed. */
export interface IntentMatch {
	intent: Intent;
	score: number;
	cues: string[];
}

export interface TextSignals {
	intents: IntentMatch[];
	sentimentScore: number;
	threats: string[];
	urgency: string[];
}

/** Where quoted history starts: a reply header in English, Spanish, French or German, or a forwarded message's marker. */
const QUOTE_STARTS = [
	/^\s*on .{3,200} wrote:\s*$/i,
	/^\s*el .{3,200} escribió:\s*$/i,
	/^\s*le .{3,200} a écrit\s*:\s*$/i,
	/^\s*am .{3,200} schrieb .{0,80}:\s*$/i,
	/^\s*-{2,}\s*(?:original message|forwarded message|mensaje original|message d'origine|ursprüngliche nachricht)/i,
	// a signature: the "-- " line, or a mobile client's sign-off
	/^--\s*$/,
	/^\s*sent from my (?:iphone|ipad|android|samsung|phone)\b/i,
];

/**
 * The customer's own words: quoted replies (lines starting with ">", and everything from "On <date>, <someone>
 * wrote:" or a forwarded message on) and the signature dropped. Our own words, and what the customer quotes,
 * are not what they say now.
 */
export function customerWords(body: string): string {
	const lines = body.split(/\r?\n/);
	const kept: string[] = [];
	for (const line of lines) {
		if (kept.some((earlier) => earlier.trim()) && QUOTE_STARTS.some((pattern) => pattern.test(line))) break;
		if (!/^\s*>/.test(line)) kept.push(line);
	}
	return kept.join('\n');
}

/** What a reader that already scanned the text knows (learnedModel.ts readTicket): the lexicon score, and whether any word a threat or urgency cue needs is there. */
export interface ScanHints {
	sentimentScore: number;
	threatWords: boolean;
	/** Whether any word a Spanish, French or German threat cue needs is there. */
	otherLanguageThreatWords: boolean;
	urgencyWords: boolean;
}

/**
 * What the hand-written cues read in a ticket. `readIntents` false: the intent cues are not read (the learned model
 * reads the intent; they are most of the cost). `ownWords`: the body's customerWords, when the caller has them.
 * `hints`: the lexicon is not read again, and cues whose words are absent are not run.
 */
export function readSignals(subject: string, body: string, readIntents = true, ownWords = customerWords(body), hints?: ScanHints): TextSignals {
	const threats = !hints || hints.threatWords;
	const urgency = !hints || hints.urgencyWords;
	const lower = readIntents || threats || urgency;
	const subjectText = lower ? subject.toLowerCase() : '';
	const bodyText = lower ? ownWords.toLowerCase() : '';
	const intents: IntentMatch[] = [];
	for (const intent of readIntents ? INTENTS : []) {
		let score = 0;
		const cues: string[] = [];
		for (const { pattern, weight } of INTENT_CUES[intent]) {
			// the subject is the customer's own summary: a cue there counts half again
			const inSubject = pattern.exec(subjectText);
			const inBody = inSubject ? null : pattern.exec(bodyText);
			const hit = inSubject ?? inBody;
			if (hit) {
				score += inSubject ? weight * 1.5 : weight;
				cues.push(hit[0]);
			}
		}
		if (score > 0) intents.push({ intent, score: Math.round(score * 100) / 100, cues });
	}
	intents.sort((a, b) => b.score - a.score || INTENTS.indexOf(a.intent as (typeof INTENTS)[number]) - INTENTS.indexOf(b.intent as (typeof INTENTS)[number]));
	const text = lower ? `${subjectText}\n${bodyText}` : '';
	return {
		intents,
		sentimentScore: hints ? hints.sentimentScore : sentimentOf(`${subject}\n${ownWords}`),
		threats: threats ? threatsIn(text, !hints || hints.otherLanguageThreatWords) : [],
		urgency: urgency ? urgencyIn(text) : [],
	};
}

/** What a word is to the readers, as bits: see wordFlags. */
export const ENGLISH = 1;
export const FOREIGN = 2;
export const THREAT_WORD = 4;
export const URGENCY_WORD = 8;
export const NEGATOR = 16;
export const INTENSIFIER = 32;
export const OTHER_LANGUAGE_THREAT_WORD = 64;

/**
 * English's commonest words: a text of four words or more, a fifth of them these, no accented letter and no
 * FOREIGN_WORDS, is English without asking the language detector.
 */
const ENGLISH_WORDS = new Set(
	[
		"the and to my i a of it is was for you your in on this that me have not be with but can please order its i'm im we are at so just an as do if get what when will would from has had no",
		"hi hello hey thanks thank sorry yes ok okay pls got still been did does out up about there they them their our us he she his her him who how why where which all any some one two three more new now than then too very really much many also back again after here only could should were am by or over time day days week weeks yesterday tomorrow know need want like see said told sent received arrived ordered orders",
		'print prints poster frame frames canvas delivery shipping package parcel tracking refund return help email account size wrong never last first same other another each every',
	].join(' ').split(' '),
);

/**
 * Common words of the other languages the detector tells apart, without accents (an accented letter already sends
 * a text to the detector): one of them and the detector is asked. An English word here only costs a question.
 */
const FOREIGN_WORDS = new Set(
	[
		// Spanish
		'el los las del una unos por para pero porque muy gracias hola pedido pedidos quiero tengo necesito que con mi mis su sus nos como cuando donde todavia ya hay esta este estoy buenos buenas dias tardes saludos hace semana semanas dinero producto llego',
		// French
		'le les des du une et est je pas qui dans pour sur avec il elle ma mes ne au aux vous nous bonjour merci commande colis cordialement votre vos toujours encore mais ai suis depuis jours',
		// German
		'der die das und ist ich nicht ein eine einen zu mit den dem sich auf von mein meine meinen bitte danke hallo bestellung paket noch aber wir ihr sie sind habe hat wurde kein keine leider schon seit tagen gestern heute bei mir',
		// Italian, Portuguese, Dutch, Polish, Swedish, Danish
		'il gli della ciao grazie ordine sono non che obrigado obrigada encomenda meu minha het een niet ik mijn bestelling dank wij zamowienie jest och jag det inte tack hej og jeg ikke',
	].join(' ').split(' '),
);

/**
 * Words one of whose parts every English threat cue (ENGLISH_THREAT_CUES) needs: a text without any of them (nor any
 * of OTHER_LANGUAGE_THREAT_PARTS below) names no threat, and the cues are not run. Parts are looked for inside a word
 * ("charg" in "chargeback"), the short ones are whole words.
 */
const THREAT_PARTS = ('charg bank card revers claw money payment disput claim paypal klarna clearpay afterpay described lawyer attorney ' +
	'solicitor legal court suing lawsuit letter bureau standards consumer citizens ombudsman advertising report review trustpilot star ' +
	'social twitter insta facebook tiktok reddit youtube linkedin threads mumsnet forum public everyone video viral people followers warn ' +
	'scam fraud artists thie robbery american mastercard chase capital monzo revolut paused').split(' ');
const THREAT_WHOLE_WORDS = new Set('case sue section friends family x r fb asa ico bbb ftc amex visa yelp con'.split(' '));
/**
 * The same for the Spanish, French and German cues (OTHER_LANGUAGE_THREAT_CUES): a word of theirs is a threat word
 * too, and a text with none of them runs the English cues alone.
 */
const OTHER_LANGUAGE_THREAT_PARTS = ('cargo banco paiement prélèvement débit opposition rétrofacturation rückbuch lastschrift zahlung ' +
	'zurück einschalt schalte disputa reclamación litige käuferschutz abogad judicial legales avocat demeure justice plainte tribunal ' +
	'anwalt anwält rechtliche mahnverfahren gericht klage consumo dgccrf millions verbraucherzentrale schlichtungsstelle').split(' ');
const OTHER_LANGUAGE_THREAT_WHOLE_WORDS = new Set(['pago', 'fall', 'ocu']);
/** The same for the urgency cues (URGENCY_CUES). */
const URGENCY_PARTS = ['urgent', 'emergency', 'immediately', 'sensitive', 'deadline', 'possible'];
const URGENCY_WHOLE_WORDS = new Set('asap p right soon need before today tomorrow tonight'.split(' '));

/** What a word (lower case, as scan.ts reads it) is to the readers: ENGLISH, FOREIGN, THREAT_WORD, URGENCY_WORD, NEGATOR, INTENSIFIER. */
export function wordFlags(word: string): number {
	let flags = 0;
	if (ENGLISH_WORDS.has(word)) flags |= ENGLISH;
	if (FOREIGN_WORDS.has(word)) flags |= FOREIGN;
	if (THREAT_WHOLE_WORDS.has(word) || THREAT_PARTS.some((part) => word.includes(part))) flags |= THREAT_WORD;
	if (OTHER_LANGUAGE_THREAT_WHOLE_WORDS.has(word) || OTHER_LANGUAGE_THREAT_PARTS.some((part) => word.includes(part))) flags |= THREAT_WORD | OTHER_LANGUAGE_THREAT_WORD;
	if (URGENCY_WHOLE_WORDS.has(word) || URGENCY_PARTS.some((part) => word.includes(part))) flags |= URGENCY_WORD;
	if (NEGATORS.has(word)) flags |= NEGATOR;
	if (INTENSIFIERS.has(word)) flags |= INTENSIFIER;
	return flags;
}

/** A word's or an emoji's (the scan's symbol token) valence in the sentiment lexicon: positive above negative, 0 when it has none. */
export function wordValence(word: string): number {
	return VALENCE.get(word) ?? 0;
}

/**
 * The lexicon score of a scanned text, in [-1, 1], VADER's way: word and emoji valences (`valence`, per token), flipped by a
 * negator in the three words (or "!") before, raised by an intensifier just before or by SHOUTING, and a little by
 * exclamation marks; normalised by x / sqrt(x^2 + 15). `flags`: per token, wordFlags.
 */
export function lexiconScore(scan: Scan, valence: Float64Array, flags: Int32Array): number {
	let total = 0;
	let exclamations = 0;
	// the flags of the last three words (or "!", 0), the nearest first, and how many there were
	let back1 = 0;
	let back2 = 0;
	let back3 = 0;
	let behind = 0;
	for (let token = 0; token < scan.count; token++) {
		const kind = scan.kind[token];
		// an emoji counts as a word when it has a valence (EMOJI_VALENCE); other symbols are passed over
		if (kind !== WORD && kind !== BANG && (kind !== SYMBOL || valence[token] === 0)) continue;
		const own = kind === WORD ? flags[token] : 0;
		if (kind === BANG) exclamations++;
		else if (valence[token] !== 0) {
			let value = valence[token];
			if (scan.upper[token]) value *= 1.5;
			if (behind >= 1 && back1 & NEGATOR) value *= -0.75;
			else {
				if (behind >= 1 && back1 & INTENSIFIER) value *= 1.5;
				if ((behind >= 2 && back2 & NEGATOR) || (behind >= 3 && back3 & NEGATOR)) value *= -0.75;
			}
			total += value;
		}
		back3 = back2;
		back2 = back1;
		back1 = own;
		behind++;
	}
	if (total !== 0) total += Math.sign(total) * Math.min(exclamations, 4) * 0.3;
	return Math.round((total / Math.sqrt(total * total + 15)) * 1000) / 1000;
}

let tokenValence = new Float64Array(256);
let tokenFlags = new Int32Array(256);

/** The lexicon score of a text (lexiconScore), each word looked up by name. */
export function sentimentOf(text: string): number {
	const scan = scanText(text, '');
	if (tokenValence.length < scan.count) {
		tokenValence = new Float64Array(scan.count * 2);
		tokenFlags = new Int32Array(scan.count * 2);
	}
	for (let token = 0; token < scan.count; token++) {
		if (scan.kind[token] !== WORD && scan.kind[token] !== SYMBOL) continue;
		const word = scan.text.slice(scan.start[token], scan.end[token]);
		tokenValence[token] = wordValence(word);
		tokenFlags[token] = NEGATORS.has(word) ? NEGATOR : INTENSIFIERS.has(word) ? INTENSIFIER : 0;
	}
	return lexiconScore(scan, tokenValence, tokenFlags);
}
