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
/** The bank, the card's company or its network: who takes a payment back from the shop. */
const CARD_BACKER = '(?:(?:my|the|his|her|our|their) )?(?:bank|issuing bank|(?:credit |debit )?card (?:company|provider|issuer)|credit card(?: company| provider)?|card issuer|visa|mastercard|amex|american express|capital one|chase|barclaycard|monzo|revolut|citi(?:bank)?|wells fargo|hsbc|natwest|lloyds|santander|halifax|starling|bank of america|scotiabank|discover(?: card)?)';
/**
 * The bank or the card's company named with what it does to a payment in the same sentence, either way round ("calling
 * citi and having them yank the payment", "the transaction is now flagged as unauthorised with santander", "either you
 * send it or wells fargo takes it", "i've handed it over to my bank", "discover will be in touch"). Broad on purpose;
 * the customer's own card trouble (OWN_CARD_TROUBLE) and questions are left out in threatens.
 */
const BANK_NAMED = "(?:my bank|the bank|his bank|her bank|banks?|banking app|bank branch|card issuer|issuing bank|card (?:company|provider)|credit card(?: company| provider)?|visa|mastercard|amex|american express|discover (?:card|will|is|has|'s)|capital one|citi(?:bank)?|barclays|barclaycard|santander|wells fargo|rbc|bmo|scotiabank|cibc|hsbc|natwest|lloyds|halifax|nationwide|monzo|revolut|starling|sbi(?: card)?|hdfc(?: bank)?|icici(?: bank)?|commbank|westpac|(?:with|at|call(?:ing)?|ring(?:ing)?) chase(?! (?:it|the|this|that|them|up|you|him|her|us|after|down|a|an|my))|chase (?:bank|card|will|is|has|'s|said|told))";
const BANK_ACTION = "(?:yank\\w*|(?:cancel|block|stop)\\w* (?:the |this |that |your |all |future |my |both )?(?:payments?|transactions?|charges?|debits?)|revers\\w*|recover\\w*|claw\\w*|take (?:it|them|the money|my money|the \\S+) back|takes? it|took it|pull\\w*|refunded me|provisional\\w*|sort(?:ing)? (?:it|this)|deal(?:ing)? with|decid\\w*|disput\\w*|claims?|complaint|contest\\w*|report\\w*|flagg?\\w* as|unauthori[sz]ed|not authori[sz]ed|handed (?:it |this )?(?:over )?to|inform\\w*|in touch|involved|step in|investigat\\w*|money back|chargebacks?|charge it back|rais\\w* it|treating|phone call|gets? a call|will hear|hears? from|know about|credit\\w* (?:me|it) back|chas\\w* you|get(?:ting)? (?:it|my|the|our|that|every|all|each)(?: [a-z]+){0,2} back|procedure|(?:merchants|shops|sellers|companies|stores) like you|look(?:ing)? into (?:it|this)|on the phone (?:w/?|with|to)|recall\\w*|(?:in|into) the hands of|(?:a )?process for (?:exactly )?(?:this|that|it|these)|hear\\w* (?:about|from)|will be (?:calling|ringing|contacting)|claim\\w* (?:it|this|the money|them) back|disputes team)";
const OWN_CARD_TROUBLE = /\b(?:declined?|fraud alert|suspect\w*|fraud check|called me|texted me|it was me|try again|retry|descriptor|(?:bank|card) statement|verif\w*|3-?d ?secure|otp|go(?:es)? back (?:to|on) (?:my|the)|back (?:on|onto|to) (?:my|the) (?:(?:credit |debit )?card|visa|mastercard|amex)|blocked (?:my|his|her|the) card|payment failed|security check|bounced|bank (?:details|transfer|account details)|business account|been reversed|has reversed|was reversed|fsa|hsa|expense (?:claim|report)|my employer|as suspicious|suspicious (?:activity|payment|transaction|purchase)|stolen|cloned|compromised|lost (?:wallet|card)|replacement card|new card|approved it|(?<!\b(?:unless|until|till|if|once|when|before) (?:i'?ve |i have |i |we'?ve |we )?)(?:got|received|seen) (?:the|my|your) refund(?! (?:email|e-mail|notification|message|confirmation|promise))|refund (?:came|arrived|landed|showed|has come|is on))\b/;
/** A payment provider whose buyer protection takes a payment back: a dispute, case or claim there. */
const PAY_PROVIDER = "(?:paypal|klarna|clearpay|afterpay|affirm|apple pay|google pay|shop pay|amazon pay|sezzle|zip pay|zip(?= (?:is still|keeps|will|has|have|account|app|repayments?|instal+ments?|payments?|pay|to (?:step|freeze|pause|stop|refund|sort|look))\\b|'s\\b)|laybuy|humm|atome|splitit|paybright|openpay|cash app|venmo)";
const PAY_PROVIDER_NAMED = new RegExp(`\\b${PAY_PROVIDER}\\b`);
/** The same for a payment provider ("i'll let paypal decide", "otherwise paypal gets involved", "raising it with clearpay"). */
const PAY_ACTION = "(?:lodg\\w*|stop(?:ped)? paying|stop(?:ped)? (?:the )?(?:re)?payments?|freez\\w* (?:the )?(?:re)?payments?|claims?|case|disput\\w*|decid\\w*|involved|step in|tak(?:e|ing) it up|rais\\w* (?:it|(?:an?|the|this) (?:issue|complaint|problem|ticket|query|concern))|route|money back|got my back|protection|report\\w*|escalat\\w*|open\\w*|fil(?:e|ed|ing)|sort(?:ing)? (?:it|this|you|youse|y'?all|you lot)|refunds? me|will refund|hear\\w* (?:from|about)|getting a call|frozen|freez\\w*|hold\\w* the payment|paus\\w*|complaint|flag\\w*|guarantee|don'?t have to pay)";
/** A marketplace whose buyer guarantee takes a payment back, and what it does ("i'll ask ebay to step in under the money back guarantee"). */
const MARKETPLACE = '(?:ebay|etsy|amazon|depop|shopee|lazada|mercari|vinted|poshmark|stubhub|viagogo|fanprotect)';
const MARKETPLACE_ACTION = "(?:step in|money back guarantee|purchase protection|guarantee (?:claim|request)|open\\w* an? (?:case|claim|dispute)|(?:case|claim|dispute) (?:is |now |is now )?(?:open|opened|filed)|hold\\w* (?:the |my |your )?(?:payment|money|funds)|return\\/refund request|escalat\\w*|review it|resolution cent(?:re|er)|get involved)\\b";
const ENGLISH_THREAT_CUES: Array<[string, RegExp]> = [
	['chargeback', /\bcharge[- ]?backs?\b|\bcharg(?:e|es|ed|ing) back (?:all|both|the|those|these|every|each|my|our) (?:\w+ ){0,2}(?:transactions?|payments?|charges?|purchases?|orders?)\b/],
	// the card company already heard, with what it can do ("i spoke to my credit card provider and they explained my options")
	['chargeback', /\b(?:bank|card (?:company|provider|issuer)|credit card(?: company| provider)?)\b(?<=\b(?:spoke|spoken|talked|been in touch|got in touch|on the phone) (?:to|with) (?:my|the) (?:bank|card (?:company|provider|issuer)|credit card(?: company| provider)?))[^.!?]{0,60}\b(?:options|my rights|what (?:they|i) can do|they can (?:reverse|cancel|refund|take|get|claw|recover|stop|block|dispute)|they(?:'ll| will| would) (?:reverse|cancel|refund|take|get|claw|recover|stop|block|step in|dispute|open|raise))\b/],
	['chargeback', /\b(?:go(?:ing)? to|contact(?:ing)?|call(?:ing)?|ring(?:ing)?|ask(?:ing)?|get(?:ting)?|tell(?:ing)?|involv(?:e|ing)) (?:my|the|ur) (?:bank|(?:credit |debit )?card (?:company|provider|issuer))\b/],
	// a section 75 claim (UK): the credit card's company refunds what the shop did not
	['chargeback', /\bsection 75\b|\b(?:bank|card company|card issuer|credit card company|card provider) (?:will|would|is going to) (?:say|think|do)\b(?<=\bwhat (?:my|the) (?:bank|card company|card issuer|credit card company|card provider) (?:will|would|is going to) (?:say|think|do))|\bhit with (?:the|a) (?:chargeback )?fee\b|\bmoney (?:comes|will come|goes|will go) straight back to me\b|\bcb\b(?<=\b(?:did|doing|do|file|filed|filing|open|opened|start|started|raise|raised) (?:a |the |my )?cb)|\bprovisional(?:ly)? credit(?:ed)?\b|\b(?:through|via) (?:my|the|our) (?:bank|credit card(?: company| provider)?|(?:credit |debit )?card (?:company|provider|issuer))\b(?<=\b(?:go|going|goes|went) (?:through|via) [^.!?]{3,40})|\bclaim for (?:goods|items?|an item|a product) not as described\b/],
	['chargeback', /\b(?:reverse|reversing|revers(?:e|ing) the (?:charges?|payment)|claw(?:ing|ed)? (?:(?:it|them|the (?:money|\w+)|(?:the )?[$£€]?\d[\d,.]*|th(?:ose|ese|at) (?:\w+ )?\w+) )?back|take the money back|stop(?:ped|ping)? (?:the|my|this|that) payment)\b|\b(?:rev[eu]rsed|cancel+ed|recalled|charged back)\b(?<=\b(?:have|get|having|getting|had|got) (?:the|this|that|my) (?:transaction|payment|charge|purchase)s? (?:rev[eu]rsed|cancel+ed|recalled|charged back)|\b(?:have|get|having|getting|had|got) (?:it|them) (?:rev[eu]rsed|recalled|charged back)|\b(?:transaction|payment|charge)s? (?:will be|is being|has been|was|are being|have been) recalled)|\brecall(?:ing|ed)?(?<=\b(?:they'?re|they are|is|are|been|being|to|will) recall(?:ing|ed)?) (?:the|my|this|that) (?:payment|transaction|charge|money|funds)\b|\bdirect debit guarantee\b|\bindemnity claim\b|\b(?:card|bank|chargeback) claim\b(?:(?= (?:opened|filed|lodged|raised|started|submitted|made)\b)|(?<=\b(?:opened|filed|lodged|raised|started|submitted|made) (?:a|my) (?:card|bank) claim))|\bwhile (?:they|the bank|my bank|(?:the|my) card (?:company|issuer|provider)) (?:investigate|look into (?:it|this))\b/],
	['chargeback', /\bdisput(?:e|ed|ing) (?:it|them|this|both|all|everything|the (?:charges?|payment|transaction)) (?:with|on|through|via) (?:my|the) (?:(?!paypal|klarna|afterpay|clearpay)\w+ )?(?:bank|card|credit card|visa|amex|mastercard|app|banking app)\b/],
	['dispute', /\bdispute (?:the |this |it|with)|\bfile an? dispute\b|\bopen(?:ing)? an? dispute\b/],
	['dispute', /\b(?:open(?:ing)?|fil(?:e|ing)|rais(?:e|ing)|start(?:ing)?|escalat(?:e|ing)) (?:an? |the )?(?:paypal |klarna |clearpay |afterpay )?(?:dispute|case|claim)\b/],
	['dispute', /\b(?:paypal|klarna|clearpay|afterpay) (?:dispute|case|claim)\b|\bitem not as described\b|\bnot as described claim\b/],
	['legal', /\b(?:lawyers?|attorneys?|solicitors?|atorneys?|attourneys?|attorny|lawers?|laywers?|solicters?|sollicitors?|legal action|legal advice|legal (?:steps|proceedings)|(?:further|next step is) legal(?:ly)?|take (?:you|this|it) to court|small claims|sue (?:you|your)|(?:going to|gonna|will|i'll|i'd) sue|suing|lawsuit|letter before action|see you in court|legal route|court claim)\b/],
	// counsel retained, legal help sought, a court named as where this goes ("no refund = court", "explain to a magistrate")
	['legal', /\b(?:retain(?:ed|ing)?|hir(?:e|ed|ing)|instruct(?:ed|ing)?|engag(?:e|ed|ing)|consult(?:ed|ing)?|contact(?:ed|ing)?) (?:a |an |my |the )?(?:counsel|advocates?|law (?:firm|office)|personal injury (?:firm|lawyer|solicitor)s?)\b|\blegal (?:help|channels?|claim|counsel|representation|recourse|remedies|means)\b|\bmy legal team\b|\b(?:proceed(?:ing)?|go(?:ing)?|act(?:ing)?) legally\b|\b(?:to|in|at|into|before|through) (?:the )?(?:(?:[a-z]+ )?(?:consumer|county|small claims|claims|sheriff|magistrates'?|magistrate's|district|civil|local|high|federal|state|supreme|crown|family) )?courts?\b|\bcourt\b(?<=(?:=|\bmeans|\bor|\bthen|\bit'?s) ?court)|\b(?:to|before|in front of) (?:a|the) magistrates?\b|\bclaim form\b(?=[^.!?]*\b(?:legal|registered|court|entity|issue|serve)\b)|\b(?:legal|registered|court|entity)\b[^.!?]*\bclaim form\b|\b(?:explain|tell|show)\w* (?:it |this |that |yourselves |yourself )?to (?:a|the) (?:\w+ )?judge\b|\bor (?:to )?a judge\b|\bopinion from (?:an? |my )?(?:advocate|lawyer)\b|\binstitut\w* (?:an? |legal )?(?:action|proceedings|suit|claim)\b|\bfor a living\b(?<=\b(?:deals? with|handles?) (?:this|these|that) (?:sort|kind|type) of (?:thing|stuff|case|matter)s? for a living)|\blegal involved\b(?<=\b(?:get(?:ting)?|bring(?:ing)?) legal involved)|\badjudicat\w*|\barbitration\b(?:(?<=\b(?:fil\w*|start\w*|commenc\w*|initiat\w*|go(?:ing)? to|open\w*|demand\w*) (?:for )?(?:an? )?arbitration)|(?= (?:claim|demand|case|proceedings)\b))|\bserved (?:with )?(?:notice|papers|a claim)\b|\bjudge (?:can|will|could|may|would) (?:ask|decide|hear|sort|explain|enjoy|read|love|see)\b|\bclaim in\b(?<=\bput(?:ting)? (?:the|a|my) claim in)|\bproceedings\b(?<=\b(?:intended|intention to (?:issue|commence|start)|notice of(?: intended)?) (?:legal |court )?proceedings)|\bregistered (?:office|address)\b(?<=\b(?:to|at) your registered (?:office|address))|\blaw cent(?:re|er)\b|\blegal (?:clinic|aid (?:office|centre|center))\b|\brepresents? (?:me|us|my family)\b(?<=\b(?:who|which|that) represents? (?:me|us|my family))|\brepresentatives?\b(?<=\bmy (?:legal )?representatives?)|\bpursu(?:e|ing|ed)? (?:your (?:company|shop|store|business)|you) (?:for|over)\b|\b(?:general counsel|legal (?:team|department|dept)|counsel)\b(?<=\b(?:pass|hand|refer|forward|escalat|g[ai]v)\w* (?:(?:it|this|the (?:file|matter|case|issue|details|correspondence))(?: over| on)? )?(?:on )?to (?:our|my) (?:general counsel|legal (?:team|department|dept)|counsel))|\blegal (?:team|department|dept)\b(?<=\b(?:contact\w*|writ\w* to|be in touch with) your legal (?:team|department|dept))|\b(?:claim|lawsuit|suit|case|proceedings)\b(?<=\bnam(?:e|es|ed|ing) (?:(?:you|both of you|you both|you all|your (?:company|shop|store|business|platform)) (?:both |all )?)?(?:in|on) (?:the|a|my|our) (?:claim|lawsuit|suit|case|proceedings))/],
	// a court, a tribunal or a claim before one, however named; sports, food and addresses are left out in threatens
	['legal', /\bcourts?\b|\bpre-action (?:protocol|letter|notice)|\bletter of claim\b|\bwe act for (?:mr|mrs|ms|miss|dr|mx)\b|\bconsumer disputes? redressal\b|\bredressal (?:commission|forum|agency)\b|\bconstrained to (?:approach|initiate|take|file|proceed|move)\b|\bexpect (?:a|my) (?:formal |legal )?letter\b(?! (?:of complaint|from (?:the|your|you)\b))|\bi know where the (?:\w+ )?(?:court|tribunal|small claims)\b|\b(?:class action|legal notice|legal letter|letter of demand|letter before claim|notice before action|consumer (?:forum|commission|tribunal)|civil (?:claim|resolution tribunal)|vcat|ncat|qcat|tribunal|filed suit|small claim|money claim online|moneyclaim|mcol|e-?daakhil|group (?:action|claim|lawsuit)|claim against (?:you|your (?:company|shop|business|store))|issu(?:e|ing) (?:a |the )?(?:court )?(?:claim|proceedings)|formal notice|notice of (?:a )?claim|letter of claim|file suit|fil(?:e|ing) a suit|legal options?|legally)\b|\bsue\b(?<=(?:\bto|\bwill|'ll|\bgonna|\bmight|\bcould|\bcan|\bwould|\bi'd|\band|\bthen|\bor) sue)|\bsued\b|\bsue (?:you|your|them|the|this|over|for)\b/],
	['regulator', /\b(?:better business bureau|bbb|trading standards|consumer protection|attorney general|ftc|citizens advice|ombudsman|asa|advertising standards|consumer council|ico)\b/],
	['regulator', /\breport(?:ing)? (?:you|this|it|them|your (?:store|shop|company)) to\b/],
	['public_review', /\b(?:(?:bad|negative|terrible|honest|scathing|1[- ]star|one[- ]star|zero[- ]star) reviews?|review on (?:trustpilot|google|yelp)|trustpilot|yelp|zero stars)\b/],
	['public_review', /\b(?:leav(?:e|ing)|writ(?:e|ing)|post(?:ing)?|updat(?:e|ing)) (?:a |an |the |my )?(?:\w+ ){0,2}reviews?\b/],
	['social_media', new RegExp(`\\b(?:post(?:ing)?|shar(?:e|ing)|put(?:ting)?|writ(?:e|ing) (?:it|this|you|all) up|spread(?:ing)?|tag(?:ging)? you)\\b[^.!?]{0,60}\\b(?:on|to|in) ${SOCIAL}\\b`)],
	['social_media', /\b(?:go(?:ing)? public|tell everyone|tell(?:ing)? (?:all )?(?:my )?(?:friends|family|everyone i know) (?:to avoid|not to (?:buy|order|shop))|making a video|go(?:ing)? viral|so (?:everyone|people) can see|my followers|warn (?:everyone|people|others))\b/],
	['fraud_claim', /\b(?:scam|scammed|scammers|scamming|fraud|fraudulent|con artists|thie(?:f|ves)|daylight robbery|report (?:you|this|your (?:store|company)))\b/],
	['chargeback', /\bcharg(?:e|ing) (?:it|this|them|the payment) back\b|\b(?:have|get|getting|had|got) (?:it|this|them|the (?:charges?|payment)) charged back\b/],
	['chargeback', /\b(?:tak(?:e|ing) (?:this|it) to|call(?:ing)?|ring(?:ing)?) (?:my )?(?:(?:credit )?card bank|bank|credit card company|card company|card issuer|barclaycard|amex|american express|visa|mastercard|chase|capital one|monzo|revolut)\b/],
	['chargeback', /\bdisput(?:e|ed|ing) (?:the |this |my |every |each |all (?:the |of the |my )?)?(?:charges?|payments?|transactions?)\b/],
	// every payment disputed at once ("if no answer today i'm disputing all of them"), or through the payment provider
	['dispute', /\bdisput(?:e|ed|ing) (?:all|every one|each one) of them\b|\bdisput(?:e|ed|ing) (?:it|them|this|everything|every charge|the (?:charges?|payment)) (?:through|with|via|on) (?:paypal|klarna|clearpay|afterpay)\b/],
	['dispute', /\bdisputes? (?:lodged|filed|opened|raised|submitted|started)\b|\breport\w* (?:it|this|them|the (?:\w+ )?(?:charge|payment|purchase|order|transaction)) (?:in|on|through|via) (?:my |the )?(?:apple |google )?wallet(?: app)?\b|\bopened an? (?:paypal |klarna )?(?:dispute|case|claim)\b|\bpaused the payment\b|\breported (?:the|my) order as not received\b/],
	// done already: a dispute filed, or a case or claim filed with the payment provider (a claim with the courier is not one)
	['dispute', /\b(?:filed|raised|started|escalated|lodged|submitted) (?:an? |the |my )?(?:(?:paypal |klarna |clearpay |afterpay )?dispute|(?:paypal|klarna|clearpay|afterpay) (?:case|claim)|(?:case|claim) (?:with|on|through|via) (?:paypal|klarna|clearpay|afterpay))\b/],
	// the bank or the card's company asked to get the money back, or the refund sought through them
	['chargeback', /\b(?:asked|told|instructed|got|getting) (?:my|the) (?:bank|card (?:company|provider|issuer)|credit card company) to\b|\b(?:through|via) (?:my|the) (?:bank|credit card(?: company)?|(?:credit |debit )?card (?:company|provider|issuer)) for (?:a |my |the |our )?(?:refund|money)\b|\b(?:via|through) (?:my|the|our) (?:bank|(?:credit |debit )?card (?:company|provider|issuer)|credit card(?: company| provider)?)\b(?! (?:transfer|details|account))(?<=\b(?:request|seek|pursu|claim|recover)\w*\b[^.!?]{0,60})|\b(?:money|refund) back (?:through|via) (?:my|the) (?:bank|credit card|(?:credit |debit )?card (?:company|provider|issuer))\b/],
	// a charge reported to the bank or the card's company is a chargeback on its way
	['chargeback', /\b(?:report(?:ed|ing)?|flagg(?:ed|ing)) (?:this |it |you |the (?:charges?|payment|transaction|order|purchase) |my (?:order|purchase) |your (?:store|shop|company) )?to (?:my|the) (?:bank|card (?:company|provider|issuer)|credit card company)\b/],
	// a claim, case or dispute made with the bank or the card's company by name ("filed a claim with capital one",
	// "contest the charge with my credit card company", "reporting both to chase", "raising it with american express")
	['chargeback', new RegExp(`\\b(?:claim|case|dispute) (?:with|through|via) ${CARD_BACKER}\\b|\\b(?:contest|challeng|disput|report|flag)\\w* (?:(?:the|this|that|these|those|both|each|every|all|it|them|my|our|an?)\\b(?: of them| of the)?(?: [a-z']+){0,2} )?(?:with|to) ${CARD_BACKER}\\b|\\b(?:rais|tak|escalat)(?:e|es|ed|ing) (?:it|this|the (?:matter|charge|issue)) (?:up )?(?:with|to) ${CARD_BACKER}\\b`)],
	// the bank or the card's company asked, let or said to take the money back ("let mastercard sort it out", "amex is
	// dealing with it now", "his bank has already taken the money back", "my card company can decide")
	['chargeback', new RegExp(`\\b(?:let|ask|asked|asking|get|getting|have|having) ${CARD_BACKER} (?:to )?(?:sort|deal|handle|pull|take|claw|cancel|reverse|decide)\\b|\\b${CARD_BACKER} (?:(?:is|are|will|can|has|have|had|'ll|'s)(?: (?:now|already|be|been))* )?(?:dealing with (?:it|this)|handling (?:it|this)|deal with (?:it|this)|handle (?:it|this)|sort(?:ing)? (?:it|this) out|decide|taken (?:the money|it) back|took (?:the money|it) back|pull(?:ing|ed)? (?:it|the (?:money|payment))|process(?:ing)? (?:it|the claim|my claim))\\b`)],
	// the bank asked to cancel, stop or refund the payment ("going into the bank to have them cancel the transaction")
	['chargeback', new RegExp(`\\b${CARD_BACKER}\\b[^.!?]{0,60}\\b(?:have|get|ask|asked|asking|getting|told) them (?:to )?(?:cancel|reverse|block|stop|refund|pull|take back)\\b`)],
	['chargeback', /\b(?:billing|card|bank|credit card) disputes?\b|\b(?:stop|block|hold)(?:[- ]payment)? on (?:the|my|this|that|our) (?:card |cheque |check )?(?:payment|cheque|check|transaction|charge)\b(?<=\b(?:put\w*|plac\w*|request\w*|issu\w*) a [^.!?]{3,60})|\bstop[- ]payment (?:on|order)\b/],
	['chargeback', new RegExp(`\\b(?:or|otherwise|else) (?:my |the )?${BANK_NAMED} (?:will|can|does)\\b|\\b(?:(?:go|going|went|head|heading) (?:straight )?(?:to|into)|(?:been|get|got|getting) on to|fil(?:e|ed|ing) (?:it )?(?:with|at)|call(?:ing)?|ring(?:ing)?) ${BANK_NAMED}\\b|\\b${BANK_NAMED}\\b[^.!?]{0,80}?\\b${BANK_ACTION}|\\b${BANK_ACTION}\\b[^.!?]{0,80}?\\b${BANK_NAMED}\\b`)],
	['dispute', new RegExp(`\\b${PAY_PROVIDER}\\b[^.!?]{0,60}?\\b${PAY_ACTION}\\b|\\b${PAY_ACTION}\\b[^.!?]{0,40}?\\b(?:with|w/?|wi|through|via|on|in|to) (?:the )?(?:${PAY_PROVIDER}|zip)\\b|\\ba-to-z\\b|\\b(?:go(?:ing)?|went|head(?:ing)?|turn(?:ing)?) (?:straight |right |directly )?to ${PAY_PROVIDER}\\b(?! (?:to pay|checkout|and pay|to check|to see))|\\blet (?:${PAY_PROVIDER}|${MARKETPLACE}) (?:do|handle|sort|deal|decide)\\b|\\b${PAY_PROVIDER} (?:now )?(?:has|have) (?:it|the case|the claim)\\b(?! (?:on file|saved|stored|as|down|listed|showing|pending))|\\b${MARKETPLACE}\\b[^.!?]{0,60}?\\b${MARKETPLACE_ACTION}|\\b${MARKETPLACE} (?:case|claim|dispute)\\b(?<=open\\w* an? \\w+ (?:case|claim|dispute))|\\bclaim against (?:your|the) (?:listing|seller account|store|shop)\\b|\\b${MARKETPLACE_ACTION}[^.!?]{0,40}?\\b(?:with|to|on|through|via) ${MARKETPLACE}\\b|\\b(?:will|'ll|shall|going to|gonna) (?:contact|call|ring|email|message|tell|inform) ${PAY_PROVIDER}\\b|\\breport\\w* (?:it|this|them|the (?:\\w+ )?(?:charge|payment|purchase|order)) (?:to|with|on) (?:apple|google|paypal|klarna|afterpay|clearpay|affirm|shop pay)\\b`)],
	// the same through a payment provider's buyer protection
	['dispute', new RegExp(`\\bdisput(?:e|ed|ing) (?:the |this |my )?(?:purchase|order|charge|payment|transaction|it) (?:with|through|via|on) ${PAY_PROVIDER}\\b|\\b${PAY_PROVIDER} (?:has an? )?(?:dispute|case|claim|resolution cent(?:re|er))\\b|\\b(?:item|order|parcel)[- ]not[- ]received (?:claim|case|dispute|request|report)\\b|\\b(?:inr|snad) (?:claim|case|request|dispute)\\b|\\bitem (?:not received|(?:significantly )?not as described)\\b(?<=\\b(?:put|putting|opened|opening|raised|raising|filed|filing|submit(?:ted|ting)?|lodg(?:ed|ing)|made|making|start(?:ed|ing))\\b(?: in)?[^.!?]{0,20}\\bitem (?:not received|(?:significantly )?not as described))|\\bpaus(?:e|ed|ing) (?:the|my) (?:klarna |afterpay |clearpay |affirm )?(?:payments?|instal+ments?)\\b|\\breport(?:ed|ing)? (?:a |the )?problem (?:with (?:this|the|my) (?:purchase|order|payment) )?(?:through|via|with|to|in) (?:apple|klarna|paypal|google|affirm)\\b`)],
];

/** The same threats as a store in Spanish, French and German markets reads them: run only when a word they need is there. */
const OTHER_LANGUAGE_THREAT_CUES: Array<[string, RegExp]> = [
	['chargeback', /\b(?:devuelvan el cargo|devolución del cargo|retroceder el cargo|anular el cargo|cancelar el cargo|cancelen el cargo|contracargo|reclamar? al banco|llamo al banco)\b/],
	['chargeback', /\b(?:hablar|hablaré|hablo|llamar|llamaré|acudir|acudiré|acudo|ir|iré|voy|contactar|contactaré) (?:con |a )?(?:mi|el) banco\b|\b(?:anular|devolver|retroceder|revertir) el pago\b/],
	['chargeback', /\b(?:pedido|dicho|comunicado|reclamado|avisado) (?:a|al) (?:mi )?banco\b|\bbanco (?:que|para que) (?:me |nos )?(?:devuelva|anule|retroceda|reembolse)|\b(?:pido|pedir|pediré|pedí|pediría) (?:a|al) (?:mi )?banco\b|\b(?:appel\w*|contact\w*) (?:ma|la) banque\b|\bannuler (?:le|ce) paiement\b/],
	['chargeback', /contest\S* (?:le |du |ce |la )?(?:paiement|prélèvement|débit|transaction)|opposition (?:bancaire|sur (?:ma|la) carte|auprès de (?:ma|la) banque)|\b(?:faire|fais|ferai|fait) opposition\b|rétrofacturation/],
	['chargeback', /\b(?:zurückbuchen|rückbuchung|lastschrift (?:zurück|widerrufen|widersprechen)|zahlung (?:zurückholen|zurückfordern|stornieren lassen))/],
	['chargeback', /\b(?:buche ich|ich buche) [^.!?]{0,40}\bzurück\b|\b(?:meine|die) bank ein(?:schalten|schalte)\b|\bschalte (?:meine|die) bank ein\b/],
	['dispute', /(?:^|\s)(?:über|via|bei) paypal (?:zurück|zurückholen|zurückfordern|zurückbuchen)\b|\b(?:disputa (?:en|con) paypal|reclamación (?:en|a) paypal|litige (?:sur |avec |chez |auprès de )?paypal|\bouv(?:r\w*|ert\w*) (?:un|le) litige\b|käuferschutz\w*|fall bei paypal|bei paypal einen fall)/],
	['legal', /\b(?:mahnbescheid|amtsgericht|gerichtlich\w*|juzgado|tribunales|assignation|avocat(?:e|es)?|legalmente|judicialmente|v[ií]a judicial|demandar\w*|(?:poner|pondr[ée]|interponer|presentar|presentar[ée]) (?:una )?demanda)\b/],
	['chargeback', /\b(?:contestation|réclamation|litige) auprès de (?:ma|la) banque|\bdesconoc\w* (?:el|los) cargos?\b|\banul\w* (?:el|los) cargos?\b|(?:demand\S*) à (?:ma|la) banque|zurück(?:zu)?buchen|\b(?:rejeter|rejette|rejeté) (?:le|ce|les) prélèvements?|bloquer les (?:prélèvements|suivants)|\b(?:kreditkartenfirma|kreditkartenunternehmen|kartenanbieter)\b|\bholen mir das geld zurück\b/],
	['legal', /\b(?:burofax|(?:a|en) juicio|petites créances|huissier|injonction de payer|abogad[oa]s?|demanda judicial|acciones legales|avocats?|mise en demeure|action en justice|(?:porter|porterai|porte|déposer|déposerai) plainte|tribunal|(?:rechts)?anw(?:a|ä)lt(?:in|s)?|rechtliche schritte|mahnverfahren|gericht|klage)\b/],
	['regulator', /\b(?:ocu|consumo|dgccrf|60 millions|verbraucherzentrale|schlichtungsstelle)\b/],
];
const THREAT_CUES: Array<[string, RegExp]> = [...ENGLISH_THREAT_CUES, ...OTHER_LANGUAGE_THREAT_CUES];

/** Any threat cue at all (a cue that matches in a sentence matches in the text: none is anchored); the English ones alone. */
const anyOf = (cues: Array<[string, RegExp]>) => new RegExp(cues.map(([, pattern]) => `(?:${pattern.source})`).join('|'));
/**
 * The cues that name a bank, a card's company or a payment provider (CARD_BACKER, BANK_NAMED, PAY_PROVIDER): left out
 * of the one pass below, which their many names would slow, and run only on a sentence that names one (BACKER_NAMED).
 */
const namesBacker = (pattern: RegExp) => pattern.source.includes('issuing bank') || pattern.source.includes('got my back');
/** Of those, the ones that take a name and an action anywhere in the sentence (threatens' `broad`). */
const isBroad = (pattern: RegExp) => pattern.source.includes('banking app') || pattern.source.includes('got my back');
/** A word every name in BANK_NAMED and PAY_PROVIDER starts with (or more): a quick look before the broad cues. */
const BACKER_NAMED = /\b(?:bank|card|credit|visa|master|amex|american|discover|capital|citi|barclay|santander|wells|rbc|bmo|scotia|cibc|hsbc|natwest|lloyds|halifax|nationwide|monzo|revolut|starling|sbi|hdfc|icici|commbank|westpac|chase|paypal|klarna|clearpay|afterpay|affirm|apple|google|shop pay|shopee|amazon|sezzle|zip|a-to-z|laybuy|humm|atome|splitit|paybright|openpay|cash app|venmo|ebay|etsy|depop|shopee|lazada|mercari|vinted|poshmark|stubhub|viagogo|fanprotect|claim against)/;
const anyCue = (cues: Array<[string, RegExp]>) => anyOf(cues.filter(([, pattern]) => !namesBacker(pattern)));
const ANY_THREAT_CUE = anyCue(THREAT_CUES);
const ANY_ENGLISH_THREAT_CUE = anyCue(ENGLISH_THREAT_CUES);

/** The threats a miss costs most for: a payment taken back or a claim taken further. */
export const STRONG_THREATS: readonly string[] = ['chargeback', 'dispute', 'legal'];
/** The threat kinds, each once, in the order the cues name them. */
const THREAT_KINDS = [...new Set(THREAT_CUES.map(([name]) => name))];

/**
 * A negation governing a threat cue: the negator at most three words before it, no comma between ("I will not file
 * a chargeback", "I won't be doing a chargeback", "no lawyers needed", "je ne vais pas faire opposition"); "a charge I
 * did not make, this is fraud" and "if this isn't fixed I will file a chargeback" stay threats.
 */
/** "Don't make me go to my bank" is a threat, not a negation. */
const DARE = /\b(?:(?:don'?t|do not) make me|think i won'?t|think i wouldn'?t|(?:shall|will|would) not hesitate|(?:won'?t|wouldn'?t) hesitate)\b(?:\s+[^\s,;:]+){0,3}\s*$/;
const NEGATED = /\b(?:not|never|no|won'?t|wouldn'?t|don'?t|didn'?t|no intention of|no plans? to|no question of|without|rather than|instead of|nor|pas|jamais|nunca|nicht|nichts|kein|keine|keinen|rien|nada)\b(?:\s+(?!(?:i|i'?ll|i'?m|we|we'?ll|then|otherwise)\b)[^\s,;:]+){0,3}\s*$|\bnothing(?:'s| is)\s*$/;
/**
 * A negated intention, which reaches further than a plain negation: "i'm not going to do anything drastic like a
 * chargeback", "i don't want to go down the chargeback route", "not looking to make a fuss or get lawyers involved".
 * It ends where a new clause starts ("not going to wait any longer i'm filing a chargeback", "won't be ignored and
 * will call my bank"): a pronoun, a conjunction or a condition between the intention and the cue keeps the threat.
 */
const NEGATED_INTENT = /\b(?:not|never|don'?t|doesn'?t|does not|do not|won'?t|will not|wouldn'?t|would never)\s+(?:(?:at all|really|even|actually|definitely|certainly|absolutely)\s+)?(?:going to|gonna|looking to|wanting to|want to|want (?:the|any) (?:hassle|stress|drama|faff) of|planning to|plan to|about to|trying to|threatening|interested in|intending to|intend to|here to|dream of|had to|have to|need to|needed to|the (?:sort|type|kind) to|one to|someone who|somebody who|a person who|one of those people who|a (?:prelude|threat|hint)(?: to)?|be (?:putting|going|doing|taking|filing|opening|raising|making|starting|one of))\b(?:\s+(?!(?:i|i'?ll|i'?m|i'?d|i'?ve|we|we'?ll|you|they|he|she|it'?s|then|so|but|and(?!\s*$)|or else|otherwise|unless|if|until|till|when|because)\b)[^\s,;:]+){0,6}\s*$/;
/** What the customer expected or started to do before the shop put it right ("honestly expected i'd end up calling my bank, but..."). */
const HYPOTHETICAL_PAST = /\b(?:expected|thought|considered|thought about|was thinking of|mentioned|talked about|spoke about|was (?:going|about) to|were (?:going|about) to|was gonna|were gonna|(?:had )?started (?:to|filling|typing|writing)|nearly|almost|pensaba|pensé|je pensais|ich dachte)\b(?:\s+\S+){0,8}\s*$/;
/** A courier or carrier named: a claim with it is about a parcel, not a payment. */
const COURIER_NAMED = /\b(?:courier|carrier|delivery company|post office|postal service|royal mail|evri|hermes|dpd|dhl|ups|usps|fedex|parcelforce|yodel|canada post|australia post|insurer|insurance)\b/;
/** A negated intention taken back: "i don't want to go down the legal route. but i will." */
const RELUCTANT = /^[^.!?]*?(?:[.!?]\s*|,\s*|\s)(?:but|however)[, ]+(?:(?:i|we) (?:will|shall|'ll|am going to|'m going to)\b(?!\s+(?:not|never))|i'?m running out of options|i (?:may|might|will|'ll) have to|i will if|i'?ll do it)/;
/** An ultimatum around a question or a cue ("should i just ask visa for my money back? because that's where this is heading"). */
const ULTIMATUM = /\b(?:your (?:choice|move|call)|up to you|try me|(?:that|this) can (?:easily |quite easily )?be arranged|(?:that'?s|that is|this is|here'?s) (?:\w+ )?where (?:this|it|things) (?:is |are )?(?:heading|going|goes|ends up)|that'?s (?:what'?s|what is) happening|that'?s what (?:happens|i'?ll do|i'?m doing|comes next|i'?m (?:about to|going to|gonna) do)|(?:i'?m|i am) (?:about|going) to (?:open|file|raise|start|do|make|lodge|submit|put in) (?:one|it|that)|last chance|clock'?s ticking|would you (?:rather|prefer)|what'?s the point|why would i)\b/;
/**
 * Advice someone else gave ("my husband said i should just ring the bank", "a couple of friends told me to just charge
 * it back"): what they said, not what the customer says they will do.
 */
const SOMEONE_ADVISED = /\b(?:(?:my|her|his|their|our|a) (?!bank|card|credit|visa|amex|mastercard|lawyer|solicitor|attorney)[a-z-]+(?: [a-z-]+)?|(?:a couple of|some|a few) friends|friends|family|someone|somebody|everyone|people)\b(?:\s+[^\s,;:]+){0,5}?\s+(?:said|says|say|told|tells|keeps? (?:telling|saying)|kept (?:telling|saying)|suggested|recommended|wanted|advised|reckons?|reckoned|thinks|thought)\s+(?:(?:me|her|him|them|us|the \w+|my \w+)\s+)?(?:(?:that|i|we|you|she|he|i'd|we'd|you'd|i'll|i'm)\s+)?(?:(?:should|could|'d|would|have to|had to|need to|must|to|just)\s+)+(?:\s*[^\s,;:]+){0,4}\s*$|\b(?:my|the) (?:bank|card company|card provider|card issuer)\s+(?:suggested|recommended|advised|(?:said|says|told me)\s+(?:that\s+)?(?:i|we)\s+(?:could|can|should|might))\b|\b(?:emailed|asked|messaged|texted|prompted)(?: me)? (?:asking )?(?:if|whether) (?:i|we) (?:wanted|want|would like|'d like) to\b|\b(?:(?:my|her|his|their|our|a|your|the) (?!bank|card|credit|lawyer|solicitor|attorney)[a-z-]+|someone|somebody|friends|family|people|everyone|you|they)\b(?:\s+[^\s,;:]+){0,3}?\s+(?:said|says|say|told me|suggested)\s+["'\u201c\u2018]\s*(?:just\s+)?[^"'\u201d\u2019]{0,30}$/;
/** A joke ("my lawyer will be in touch 😂 (jk...)", "she keeps joking she'll see me in court"). */
/** What the customer said in an earlier message, told now ("in my email last week i said i'd be taking you to court"), and an apology for it. */
const SAID_BEFORE = /\b(?:in my (?:last |earlier |previous |first )?(?:email|message|msg|call|letter)|last week|yesterday|earlier|this morning)\b[^.!?]{0,40}\bi (?:said|wrote|threatened|mentioned|told you)\b[^.!?]{0,40}$/;
const APOLOGY = /\b(?:sorry|apologi[sz]e|apologies|didn'?t mean|was upset|over the top|out of order|take (?:it|that) back)\b/;
/** No intention of it, said right after ("no, i haven't opened anything with paypal and i've no intention of doing so"). */
const NO_INTENTION_AFTER = /^[^.!?]{0,60}\b(?:i'?ve|i have|i'?ve got|with) no (?:intention|plans?) (?:of|to) (?:doing|do) (?:so|that|it|this)\b/;
/** Or owned right after it, in the next words ("i'm suing 😭😭 (jk pls restock)"). */
const JOKE_AFTER = /^\s*\(?\s*(?:jk|j\/k|just kidding|(?:only |just )?joking|kidding)\b|^\s*(?:;-?\)|\u{1f609}|\u{1f61c}|\u{1f61d})|^\s*(?:all )?(?:joking|jokes|kidding) aside\b/u;
const JOKING = /😂|🤣|\bjk\b|just kidding|\bhaha+\b|(?<!\b(?:not|not even|n't|no|never)\s+)\b(?:kidding|jok(?:e|es|ing))\b/;
/** A dispute, claim or chargeback already withdrawn or closed ("the bank has cancelled the chargeback since you refunded me"). */
const WITHDRAWN = /\b(?:dispute|claim|case|chargeback)s?\s+(?:now\s+)?(?:closed|withdrawn|resolved|dropped|cancel+ed)\b|^\s*(?:it'?s|that'?s|all) (?:all |now )?(?:sorted|settled|resolved)\b|\b(?:dispute|claim|case|chargeback)s?\b(?:(?!\b(?:until|till|unless|once|if)\b)[^.!?]){0,80}\b(?:has been|have been|was|were|is|is now|'s been|'s|got|now|since|already) (?:closed|withdrawn|resolved|dropped)\b|\b(?:closed|withdrawn|withdrew|cancel+ed|dropped|closing|withdrawing|cancel+ing)(?: the| my| that| her| his)?(?: paypal| klarna| clearpay| afterpay| bank| card)? (?:dispute|claim|case|chargeback)|\b(?:withdr(?:awn|ew)|closed|cancel+ed|dropped) it\b|\basked (?:them|the bank|my bank|paypal|the card company) to (?:cancel|withdraw|close|drop) it\b|\b(?:phoned|called|rang|asked|contacted|emailed|messaged)\b[^.!?]{0,30}\bto (?:withdraw|cancel|close|drop) (?:the|my|this|that) (?:dispute|claim|case|chargeback)\b/;
/**
 * A chargeback or a dispute the customer (or their bank) started by mistake ("the chargeback i raised by mistake", "i
 * opened a paypal case by accident"); a charge the shop took by mistake keeps the threat ("disputing the charge you
 * took in error").
 */
/** A reversal the customer did not ask for ("my bank reversed my payment and i have no idea why, i didn't ask them to"). */
const NOT_ASKED_FOR = /\b(?:didn'?t|did not|never) ask(?:ed)? (?:them|it|my bank|the bank|my card company) to\b/;
const BY_MISTAKE = /^(?:(?!\byou(?:'ve| have)? (?:took|taken|charged|made|sent|did|billed|debited)\b)[^.!?]){0,30}?\b(?:by mistake|by accident|in error|accidentally|mistakenly|my mistake|my (?:bad|error))\b/;
/** What an agent told the caller to do, in a call note ("explained his bank will redirect the refund and to contact the bank if..."). */
const AGENT_ADVICE = /\b(?:explained|advised (?:him|her|them|cust\w*)|told (?:him|her|them|cust\w*) to)\b[^.!?]{0,80}$/;
/** The customer's bank's, or a scam's, message quoted in single quotes ("a text saying 'your chargeback with ... has been approved'"). */
const ALERT_QUOTED = /\b(?:text|message|email|e-mail|sms|letter|notice|alert|notification|dm|popup|pop-up|statement|reading|reads|sent (?:me|us) an?)\b[^'.!?]{0,20}(?:^|[\s:])'[^']*$/;
/** A law office writing (its name, its letterhead): its own lawyers named are no threat unless they act. */
const LAW_OFFICE = /\b(?:law firm|llp|law office|(?:firm|practice|chambers) of (?:advocates|solicitors|lawyers|attorneys|barristers)|solicitors'? (?:office|firm|practice)|legal practice)\b/;
/** An earlier message taken back ("ignore my last message about calling the bank"). */
const TAKEN_BACK = /(?<!\b(?:don'?t|do not|stop|never|can'?t|cannot|not|you|to)\s+)\b(?:ignore|disregard|forget)\b(?: (?:about|all about))? (?:(?:my|the) (?:(?:last|earlier|previous|first|other|angry)\s+)?(?:message|msg|email|e-mail|text|dm|chat|comment|note)s?|what i (?:said|wrote)|everything i (?:said|wrote))\b(?:(?!\b(?:i'?m|i am|i'?ll|i will|we'?re|we'?ll|going to|gonna)\b)[^.!?])*$/;
/**
 * What the customer saw or read that someone else said or did ("saw on the news someone's suing you", "read a review
 * that said someone sued you", "saw a review where someone wrote 'see you in court'"), with nothing the customer will
 * do between.
 */
const HEARSAY_BEFORE = /\b(?:someone|somebody|people|others|a few people|other customers|replies|comments)\b[^.!?]{0,30}\b(?<!\b(?:i'?m|i am|we'?re|we are) )(?:said|says|say|wrote|posted|mentioned|threaten\w*|talking about)\b[^.!?]{0,20}$|\b(?:someone|somebody) (?:had |has |else )?(?:done|did|made|filed|raised|opened|started) (?:a |an )?$|\b(?:saw|seen|read|heard|noticed|watched|watching)\b[^.!?]{0,30}\b(?:news|reddit|online|twitter|tiktok|facebook|instagram|forum|reviews?|post|article|thread|comments?)\b(?:(?!\b(?:i|i'?ll|i'?m|we|we'?ll|unless|if|will|going to|gonna)\b)[^.!?]){0,80}$/;
/** Buying or selling a house: the solicitor there is the customer's own, no threat. */
const CONVEYANCING = /\b(?:insurance claim|complet(?:e|ing|ion) on|conveyanc\w*|executor|executrix|family solicitor|handl\w* (?:the|his|her|my)(?: late)? (?:\w+'s )?estate|house (?:move|purchase|sale)|mortgage|probate|our new (?:house|home|place)|power of attorney|lpa|deputyship|passed away|(?:my|his|her|our) late (?:father|mother|husband|wife|dad|mum|mom|brother|sister|son|daughter|partner|uncle|aunt)|estate of|the estate (?:is|has|of)|(?:handling|handles|for) (?:the|his|her|my \w+'s) estate)\b/;
/** The customer's own day in court, or a dispute with someone else than the shop: no claim against it. */
const OWN_COURT_DAY = /\b(?:i have|i've got|i'm due in|i am due in|my|his|her) (?:a |an )?(?:[a-z]+ )?court (?:hearing|date|appearance|case)\b(?!\s+(?:with|against) (?:you|your))/;
const SOMEONE_ELSES_DISPUTE = /\bdispute with (?:my |our |a |the )?(?:former |ex-? ?|old |new )?(?:landlord|landlady|neighbou?r|employer|ex|partner|husband|wife|council|builder|tenant|insurer|airline|courier|letting agent|school)\b/;
/** The customer's card stolen or compromised: the charges disputed are the thieves' (a fraud claim, not a threat to this shop). */
const CARD_COMPROMISED = /\b(?:card (?:was|is|got|has been) (?:compromised|cloned|stolen|lost|skimmed|hacked)|(?:compromised|stolen|cloned|lost) card|identity (?:theft|was stolen)|reported (?:it|the card|my card|her card|his card) (?:as )?(?:lost|stolen))\b/;
/** Another shop named right after the chargeback or the dispute ("a chargeback with a totally different store (not you!!)"). */
const ANOTHER_SHOP = /\b(?:an?|some) (?:totally |completely |entirely |certain )?(?:different|other) (?:store|shop|company|seller|retailer|merchant|website|site|business|brand)\b|\banother (?:[a-z]+ )?(?:store|shop|company|seller|retailer|merchant|website|site|business|brand)\b|\b(?:the )?(?:last|previous|old) (?:[a-z]+ ){0,2}(?:store|shop|place|company|seller|retailer|merchant|website|site|business|brand)\b|\(not you\b/;
/** Named right after the cue as the one it is with or against ("a chargeback with a totally different store"). */
const ANOTHER_SHOP_AFTER = new RegExp(`^[^.!?]{0,50}?\\b(?:with|against|at|from|on|over)\\s+(?:${ANOTHER_SHOP.source})`);
/** Or just before it, with nothing the customer will do to this shop between ("a different shop left me no choice but to go the chargeback route"). */
const ANOTHER_SHOP_BEFORE = new RegExp(`(?:${ANOTHER_SHOP.source})(?:(?!\\b(?:will|'ll|going to|gonna|unless|if|you|your)\\b)[^.!?]){0,60}$`);
/** What the customer had to do another time ("last year i had to take a furniture company to small claims"), with nothing they will do now after it. */
const ONCE_HAD_TO = /\b(?:last time|the time|once|years ago|last year)\b[^.!?]{0,80}\bhad to\b(?:(?!\b(?:i'?ll|i will|i'?m going|going to|gonna|now|this time)\b)[^.!?]){0,30}$/;
/** A friend's or a relative's own case ("my friend had to go to consumer court over a cooker from another brand"). */
const SOMEONE_ELSES_CASE = /\b(?:my|her|his|our|a) (?:friend|mum|mom|mother|dad|father|sister|brother|neighbou?r|colleague|cousin|aunt|uncle|son|daughter)s? (?:had to |once |also |even )?(?:go|went|take|took|sued|filed|ended up)\b[^.!?]{0,40}$/;
/** A lawyer's business, not the customer's lawyer: steps against the shop still count. */
const LEGAL_STEP = /\b(?:deal\w* with|acting (?:for|on behalf)|represent\w*|writ(?:e|es|ing|ten)|been to see|retain\w*|hire[ds]?|hiring|instruct\w*|engag\w*|contact\w*|consult\w*|letter|proceed\w*|court|claims?|fil(?:e|ed|ing) (?:a |the |for |in |suit|proceedings|against|with)|sp(?:o|ea)k\w*|talk\w*|sue|suing|action|in touch|hear from|on to you|onto you)\b/;
/** Advice the customer says they are taking ("my husband told me to call my bank, which i'm doing today"). */
const ADVICE_TAKEN = /\b(?:(?:and|so) (?:i|we)(?:'ll| will| have| did|'ve| am|'m| shall)|which i'?m|which i am|i will|i'll|i am going to|i'm going to)\b(?!\s+(?:not|never)\b)/;
/** A firm's name or a title in a signature ("hart & cole solicitors", "solicitor | harrow & finch llp", "legal assistant"). */
const LAW_FIRM = /^(?:lawyers?|attorneys?|solicitors?)\s*(?:\||llp\b|ltd\b|limited\b|pllc\b|&)|\b(?:legal assistant|legal secretary|paralegal|litigation department|disputes (?:&|and) chargebacks|chargebacks? (?:&|and) (?:fraud|disputes)|in-house counsel|general counsel|(?:associate|senior|managing|trainee|junior) (?:attorney|solicitor|lawyer)|barrister|legal aid|law (?:firm|office|practice)|solicitors'? (?:office|firm|practice)|chambers|legal advice (?:charity|centre|center|service|clinic)|law cent(?:re|er)|legal clinic)\b/;
/** The VAT reverse charge ("reissue the invoice under the reverse-charge mechanism"): no chargeback. */
const VAT_REVERSE_CHARGE = /\b(?:vat|ust|mwst|invoice|rechnung|mechanism|procedure|verfahren|b2b|intra-eu|supply)\b/;
/** A fee asked back from the shop ("i expected the delivery charge back too"): not a chargeback. */
const FEE_BACK = /\b(?:delivery|shipping|postage|service|booking|extra|last|renewal|subscription|next-day|express|upgrade)\s+$/;
/**
 * "No answer", "no reply", "no refund": what the customer has not had, the condition of a threat, not its negation ("if no
 * answer today i'm disputing all of them", "no refund by friday and i'm calling my bank").
 */
const NO_NEWS = /\bno (?:answer|reply|response|refund|news|word|update|contact|delivery|parcel|money)\b|\bstill no(?: \S+){1,3}|\bno (?:sign|trace|sight) of(?: \S+){1,2}/g;
/** Warm words around a review or post mention: "found you through your great Trustpilot reviews" praises, it does not threaten. */
const PRAISING = /\b(?:great|love|loved|amazing|excellent|glowing|good|wonderful|gorgeous|beautiful|stunning|lovely|obsessed|happy|perfect|thanks|thank you|5[- ]star|five[- ]star|brilliant|fantastic|thanks to|found you)\b/;
/** A claim with the courier or an insurer is about a lost parcel, not a dispute of the payment. */
const COURIER_CLAIM = /\b(?:claim|case) (?:with|against|through|via) (?:the |my )?(?:courier|carrier|delivery company|post office|postal service|royal mail|evri|hermes|dpd|dhl|ups|usps|fedex|parcelforce|yodel|canada post|australia post|insurance|insurer)\b/;
/** The shop's post ("saw your post on tiktok") or the shop asked to post ("will you post it on instagram?"): not the customer posting. */
const NOT_THE_CUSTOMER_POSTING = /\b(?:you|your|the|a|this|that|their|his|her)\s+$/;
/** A customer naming their own trade ("I'm a lawyer and need a frame for my office") names no legal threat. */
const OWN_TRADE = /\b(?:i'?m|i am|as|work(?:ing|ed)? as|i work as|(?:my|his|her|our) [a-z]+(?:-in-law)?(?:'s| is)|(?:customer|caller|client|she|he)(?: is|'s)(?: now| \w+ly){0,2}|shes|hes) an?(?:\s+[a-z-]+)?\s*$|\b(?:cast|dressed|dress up|go|going) as the(?:\s+[a-z-]+)?\s*$|\b(?:gift|present|card|something|buy|buying|order(?:ing)?) for (?:my|our|a|the)\s*$/;
/** A court that is not a lawsuit: a sport's, a food hall, an address, a court's staff, a court date of the customer's own. */
const NOT_A_LAWSUIT_BEFORE = /\bresurfac\w*\b[^.!?]{0,20}$|\b(?:each|per|every|both|our two|the two|centre|center|show|outside)\s+$|\b(?:play\w*|shoot\w*|hoops?|tennis|basketball|netball|badminton|squash|pickleball|padel|volleyball|ball|dunk\w*)\b[^.!?]{0,25}\b(?:on|onto|off|across) (?:the |a |our |my |this )?$|\b(?:runs?|running|rules?|ruling|holds?|holding|held) (?:the )?$|\b(?:hard|clay|grass)-$|\bschool\s+$|\b(?:flat|apt|apartment|unit|suite)\s*\d+\w*,?\s+[a-z]+\s+$|\b(?:doubles|singles|all (?:two|three|four|five|six|eight)|(?:two|three|four|five|six|eight))\s+$|\b(?:suit|outfit|dress|shoes|clothes|tie|blazer|wear|attire)\b[^.!?]{0,25}\b(?:for|to) $|\b(?:hearing|appearance|trial) (?:at|in) (?:the )?$|\b(?:food|tennis|basketball|squash|badminton|netball|volleyball|pickleball|padel|football|clay|grass|hard|indoor|outdoor|king'?s|queen'?s|royal|\d+\s+[a-z]+|[a-z]+ (?:house|park))\s+$/;
const NOT_A_LAWSUIT_AFTER = /^court of (?:public opinion|thorns)\b|^courts? (?:adjourned|marriage|wedding|ceremony)\b|^courts?\s*(?:sittings?|sessions?|terms?|listings?|reception|security|canteen|car park)\b|^courts? (?:are|is) (?:\w+ )?(?:clay|grass|hard|indoor|outdoor|asphalt|concrete)\b|^courts?\s*(?:lines?|tape|surface|markings|paint)\b|^courts?\s+(?:is|are|measures?)\s+(?:about |approx\w*\.? |roughly |around )?\d|^courts?\s*(?:complex|premises|compound|campus|refurb\w*|renovation|building|fit-?out|waiting (?:areas?|rooms?)|seating|furniture|road|rd|lane|ln|street|st|avenue|ave|drive|dr|way|house|hotel|shoes?|sneakers|kit|judge|clerk|reporter|usher|officer|staff|interpreter|stenographer|dress|attire|appearance|hotels?|apartments?|flats?|residence|gardens?|mews|close|place|square|cent(?:re|er)|chambers|,\s*[a-z]+\s+[a-z]{1,2}\d)\b|^court date\b(?!\s+with)/;
/** That lawyer acting in the same sentence: a letter drafted, a claim, a court, being in touch. */
const LAWYER_ACTING = /\b(?:drafted|drafting (?:a |the |something|my |our )|letter|writ(?:e|es|ing|ten)|correspondence|handl\w*|involved|in touch|hear from|proceed\w*|action|claim|(?:to|in|into) court|sue|suing|suit|fil(?:e|ed|ing)|on to you|onto you)\b/;
/** The customer at court as a witness or a juror: no claim against the shop. */
const OWN_DAY_IN_COURT = /\b(?:i'?m|i am) (?:a |the )?(?:witness|juror|stenographer|court reporter|court clerk|usher)\b|\b(?:called|summoned|cited|listed) (?:as a witness|to give evidence|for jury)\b|\bjury (?:duty|service)\b|\b(?:stuck|been|was|am|i'?m) in court (?:all|most|every|today|this|last)\b|\bmoot court\b|\bmock trial\b/;
/** Nor one naming someone by their trade ("a gift for my lawyer friend"). */
const SOMEONE_BY_TRADE = /^(?:lawyer|attorney|solicitor)s? (?:friends?|colleagues?|clients?)\b/;
/** A firm describing itself ("we are a firm of advocates practising mainly before the high court"). */
const FIRM_DESCRIBED = /\b(?:(?:firm|practice|chambers|office) of (?:advocates|solicitors|lawyers|attorneys|barristers)|(?:advocates|lawyers|solicitors|attorneys|barristers) practi[sc]ing)\b/;
const FAMILY_BY_TRADE = /^(?:lawyer|attorney|solicitor) (?:aunt|auntie|uncle|mum|mom|mother|dad|father|sister|brother|cousin|wife|husband|partner|girlfriend|boyfriend|son|daughter|niece|nephew|neighbou?r|bestie|bff|flatmate|roommate)\b/;
/** Something bought for a lawyer ("custom engraving for a lawyer", "a gift for my solicitor"). */
const GIFT_FOR = /\b(?:gifts?|presents?|engraving|engraved|rings?|cards?|mugs?|frames?|ideas?|designs?|merch|birthday|christmas|graduation|retirement|letterheads?|stationery|nameplates?|signs?|stamps?)\b[^.!?]{0,20}\bfor (?:(?:a|my|our|his|her) )?(?:new |favou?rite )?$/;
/** A firm's name after "for" or "at" ("the night out for pembroke walsh solicitors", "i work at harlow finch solicitors"). */
const FIRM_NAMED_BEFORE = /\b(?:for|at)\s+(?!(?:my|our|your|his|her|their|the|a|an|some|any|local|specialist|consumer|good|decent|cheap|free|proper|real|no)\b)[a-z&'.-]+(?:\s+(?:&\s+)?[a-z&'.-]+){0,2}\s+$/;
/** A review left once the order is there or tried ("i'll leave a review once it arrives"): a promise, not a threat. */
const REVIEW_LATER = /^(?:\S+ ){0,5}?(?:reviews?|trustpilot|yelp) (?:once|when|after|as soon as)\b/;
const CONDEMNING = /\b(?:bad|negative|terrible|awful|worst|1[- ]star|one[- ]star|warn|expose|scam)\b/;
/**
 * A policy question, not a promise: "what happens if my bank reverses the charge?", "do you accept disputes?", also
 * after the shop's handle and a greeting, as public posts and chats open ("@shop hi, is this sale a scam?").
 */
const POLICY_QUESTION = /^\s*(?:@[\w.]+[,:]?\s+)*(?:(?:hi|hello|hey|hiya)(?: there| team| all)?[,!:]?\s+)?(?:[^.?!:]{0,60}(?::|,| -)\s*|(?:quick|genuine|honest)? ?(?:q|question)[,:]?\s+)?(?:[^.?!:]{0,60}\s[\u2013\u2014]\s*)?(?:what|how|do|does|can|could|is|are|would|should|if)\b[^?]*\?\s*$/;
const OWN_ACTION = /\b(?:i(?:'ll| will| am going to|'m going to| shall)|we(?:'ll| will)|going to|want me to|make me|should i just|at this point)\b/;

/** Where threat and urgency cues are read apart: a sentence's end, a semicolon, a line break. */
const SENTENCE_BREAK = /(?<=[.!?;])\s+|\n+|(?<=\p{Extended_Pictographic})\s+/u;

/** Each threat cue, to find every place it matches in a sentence. */
const everywhere = (cues: Array<[string, RegExp]>): Array<[string, RegExp]> => cues.map(([name, pattern]) => [name, new RegExp(pattern.source, 'g')]);
const THREAT_CUES_EVERYWHERE = everywhere(THREAT_CUES);
const ENGLISH_THREAT_CUES_EVERYWHERE = everywhere(ENGLISH_THREAT_CUES);
/** The cues that name a bank or a payment provider with what it does anywhere in the sentence (threatens' `broad`). */
const NAMING_CUES_EVERYWHERE = ENGLISH_THREAT_CUES_EVERYWHERE.filter(([, pattern]) => namesBacker(pattern));
const NAMING_CUES = new Set([...THREAT_CUES_EVERYWHERE, ...ENGLISH_THREAT_CUES_EVERYWHERE].filter(([, pattern]) => namesBacker(pattern)).map(([, pattern]) => pattern));
const BROAD_CUES = new Set([...NAMING_CUES].filter((pattern) => isBroad(pattern)));

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
const SOMEONE_ELSE_SAID = /\b(?:your \w+|the (?:driver|courier|agent|terms|site|website|page|review|reviews|email|reply|policy)|my (?:husband|wife|partner|boyfriend|girlfriend|friends?|mum|mom|mother|dad|father|son|daughter|sister|brother|colleagues?|boss|neighbou?r|(?:last|previous|earlier|first) (?:email|message|reply))|someone|somebody|everyone|another customer|other customers|a review|reviews|people|they)\b(?:\s+[^\s"\u201c\u00ab]+){0,6}?\s+(?:said|says|say|wrote|writes|write|keeps? saying|kept saying|was like|were like|told me|tells me|posted|saying|asking|telling)\b[^"\u201c\u00ab]*$/;

/**
 * The same words with another meaning, by kind: a claim with the courier, a disclaimer's "legally privileged", a
 * lawyer's own trade, firm or signature, a house purchase's solicitor, the customer's own court date, a tennis court,
 * someone else's dispute, the VAT reverse charge, a delivery charge asked back.
 */
/** What the whole message says of who writes: a law office ("llp", "a firm of solicitors"), or about an estate, a house sale or a power of attorney. */
interface TextContext {
	lawOffice: boolean;
	estate: boolean;
}

function lookAlike(name: string, sentence: string, before: string, from: string, next: string, context: TextContext): boolean {
	if (name === 'dispute' && COURIER_NAMED.test(sentence) && !PAY_PROVIDER_NAMED.test(sentence)) return true;
	// another shop's chargeback, dispute or court case, named right after the cue or just before it; what the customer had
	// to do once, elsewhere ("the last time (a different site, not you!) i had to go through my card company"); a relative's own case
	if (STRONG_THREATS.includes(name) && ((ANOTHER_SHOP_AFTER.test(from) && !OWN_ACTION.test(before)) || ANOTHER_SHOP_BEFORE.test(before) || (ONCE_HAD_TO.test(before.replace(/\([^()]*\)/g, ' ')) && !OWN_ACTION.test(from)) || SOMEONE_ELSES_CASE.test(before))) return true;
	if ((name === 'dispute' || name === 'chargeback') && (CARD_COMPROMISED.test(sentence) || /^[^.!?]{0,40}\bagainst (?:us|me)\b/.test(from) || SOMEONE_ELSES_DISPUTE.test(sentence))) return true;
	if (LAW_FIRM.test(sentence) && !/\b(?:my|our) (?:lawyers?|attorneys?|solicitors?)\b/.test(sentence) && !LEGAL_STEP.test(sentence)) return true;
	if (name === 'chargeback' && /^charge[- ]?backs? (?:analyst|team|department|specialist|officer|agent)s?\b/.test(from)) return true;
	// section 75 asked about or explained ("is it covered by section 75?", "credit cards give section 75 protection")
	if (name === 'chargeback' && /^section 75\b/.test(from) && (/\b(?:covered by|cover(?:ed)? under|gives?|offers?|give you|about)\s+$/.test(before) || /^section 75 (?:protection|cover)/.test(from) || /\?\s*$/.test(sentence)) && !OWN_ACTION.test(sentence) && !ULTIMATUM.test(`${sentence} ${next}`) && !/\bclaim/.test(sentence)) return true;
	if (name === 'chargeback') return (/^revers\w*[- ]charge/.test(from) && VAT_REVERSE_CHARGE.test(sentence)) || (/^charge back\b/.test(from) && FEE_BACK.test(before));
	if (name !== 'legal') return false;
	if (/^(?:lawyers?|attorneys?|solicitors?)\b(?:(?!\bnot\b|n't\b)[^.!?]){0,40}\b(?:(?:is|are|was|were) (?:happy|fine|satisfied|content|ok|okay) with|approved|signed off(?: on)?) (?:your|the|them|it|this|our)\b/.test(from) && !LAWYER_ACTING.test(`${from} ${next}`)) return true;
	// a gift or a farewell for someone at a court; the regulator in a firm's footer; someone else's case
	if (/^(?:(?!\byou)[^.!?]){0,40}?\b(?:courts?|judges?|magistrates?|bench|tribunal)\b/.test(from) && /\b(?:retir\w*|leaving the bench|engrav\w*|gift (?:for|to)|present for|farewell|leaving do)\b/.test(sentence) && !OWN_ACTION.test(sentence)) return true;
	if (/\b(?:authori[sz]ed and regulated|regulated by)\b/.test(before) || /^solicitors regulation authority\b/.test(from)) return true;
	if (/^(?:lawyers|attorneys|solicitors)\s*(?:[-\u2013\u2014|,]|$)/.test(from) && /(?:^|[-\u2013\u2014|:,]\s*)(?!(?:my|our|your|his|her|their|the|a|call|contact|to|from|with|by|and)\b)(?:[a-z&'.]+\s+){1,3}$/.test(before) && !/\b(?:my|our|your|his|her|their|the|a|call|contact|to|from|with|by|and)\s+(?:[a-z&'.]+\s+)?$/.test(before)) return true;
	// a firm by its name ("pemberton hale solicitors are refurbishing"), with nothing done to the shop
	if (/^(?:lawyers|attorneys|solicitors) (?:are|is|would|llp|ltd|limited|have|has)\b/.test(from) && /(?:^|[^a-z'])(?!(?:my|our|your|his|her|their|the|a|an|with|to|from|by|and|or|but|of|some|two|three)\b)[a-z]+ +$/.test(before) && !LEGAL_STEP.test(sentence)) return true;
	if (/^(?:put(?:ting)? (?:the|a|my) )?claim in\b/.test(from) && COURIER_NAMED.test(sentence)) return true;
	if (/\bt(?:ake|aking|aken|ook) (?:the )?(?:courier|carrier|delivery company|airline|landlord|builder|post office)(?: company)? (?:to\b[^.!?]{0,25})?$/.test(before)) return true;
	return (
		(CONVEYANCING.test(sentence) && !/\b(?:in touch|hear from|writ(?:e|ing) to you|letter before|(?<!\d+[a-z]? [a-z]+ )court|sue|suing|claim against|legal action)\b/.test(from)) ||
		// the estate's solicitors, a firm describing itself, a pet suing, a lawyer's costume
		(context.estate && /\b(?:the|their|his|her) $/.test(before) && /^(?:solicitors?|lawyers?|attorneys?)\b/.test(from) && !/\b(?:court|sue|suing|claim against|legal action|letter before)\b/.test(sentence)) ||
		(FIRM_DESCRIBED.test(sentence) && !/\b(?:you|your|against)\b/.test(sentence)) ||
		/^(?:(?:to|in|at|into|before|through) (?:the )?)?(?:[a-z]+ ){0,2}courts? (?:complex|premises|compound|campus|building|car park|canteen|reception)\b/.test(from) ||
		/\bmy (?:cats?|dogs?|pup|puppy|kitten|hamster|parrot|bird|goldfish|pet|bunny|rabbit|plants?|houseplant|wallet)\b(?: \w+){0,2}\s+$/.test(before) ||
		/^(?:lawyer|attorney|judge|solicitor)s? (?:costume|outfit|dress-up|fancy dress|cosplay|figure|figurine|doll|print|mug|shirt|t-shirt|tee|hoodie|sticker|card|themed|wig)\b/.test(from) ||
		OWN_COURT_DAY.test(sentence) ||
		/^legally (?:privileged|binding|required|obliged)/.test(from) ||
		(OWN_TRADE.test(before) && !LAWYER_ACTING.test(`${from} ${next}`)) ||
		OWN_DAY_IN_COURT.test(sentence) ||
		/\b(?:a|my|his|her) (?:hearing|trial)\s+$/.test(before) ||
		/\b(?:i|we) work(?:s|ed|ing)?(?: [^.!?]{0,30}?\b(?:in|at|for)\b[^.!?]{0,50})?\s*$/.test(before) ||
		(/\b(?:i|we) work(?:s|ed|ing)?\b[^.!?]{0,40}$/.test(before) && /^(?:in|at|for) /.test(from)) ||
		(/\b(?:need|needs|needed|require|requires|required) (?:a |an )?$/.test(before) && /^court order\b/.test(from)) ||
		SOMEONE_BY_TRADE.test(from) ||
		// "my lawyer aunt", "engraving for a lawyer", "klarna is gonna take me to court", "a night out for pembroke walsh solicitors"
		(FAMILY_BY_TRADE.test(from) && !LAWYER_ACTING.test(`${from} ${next}`)) ||
		(GIFT_FOR.test(before) && /^(?:lawyer|attorney|solicitor)s?\b/.test(from) && !LAWYER_ACTING.test(from)) ||
		/\b(?:take|takes|taking|took|drag\w*|haul\w*) (?:me|us) (?:to )?$/.test(before) ||
		// works at a court's building ("the fit-out contractor for the waiting areas at lincoln crown court")
		(/\bcourts?\b/.test(from.slice(0, 40)) && /\b(?:refurbish\w*|fit-?out|renovat\w*|waiting (?:areas?|rooms?)|contractor)\b[^.!?]{0,50}$/.test(before)) ||
		/^su(?:e|es|ing|ed) (?:me|us)\b/.test(from) ||
		(FIRM_NAMED_BEFORE.test(before) && /^(?:solicitors|lawyers|attorneys|llp)\b/.test(from) && !LEGAL_STEP.test(sentence)) ||
		(LAW_FIRM.test(from.slice(0, 40)) && !LEGAL_STEP.test(sentence)) ||
		// "my husband, who is a lawyer, ..." names a trade unless something is to be done
		(/\bwho(?:'s| is| was) an?(?:\s+[a-z-]+)?\s*$/.test(before) && !/\b(?:will|'ll|going to|gonna|writ\w*|letter|contact\w*|in touch|hear from|advis\w*|act\w*)\b/.test(from)) ||
		(/(?:&|\band) (?!(?:my|our|your|his|her|their|the)\b)[a-z]+ +$/.test(before) && /^(?:lawyers|attorneys|solicitors)\b/.test(from) && !LEGAL_STEP.test(sentence)) ||
		(/^(?:(?:to|in|at|into|before|through) (?:the )?)?courts?\b/.test(from) && (NOT_A_LAWSUIT_BEFORE.test(before) || NOT_A_LAWSUIT_AFTER.test(from.replace(/^(?:to|in|at|into|before|through) (?:the )?/, '')))) ||
		// a law office writing about its own lawyers ('our attorneys also need itemised invoices')
		(context.lawOffice && /\b(?:our|the firm'?s) $/.test(before) && /^(?:lawyers?|attorneys?|solicitors?)\b/.test(from) && !LEGAL_STEP.test(sentence))
	);
}

/**
 * Whether a cue's match in a sentence is a threat the customer makes (see threatsIn). `next`: the sentence after, where
 * a reluctant "i don't want to go down the legal route. but i will." takes its negation back. `broad`: a cue that
 * names a bank or a payment provider with what it does anywhere in the sentence (BANK_NAMED, PAY_PROVIDER), which the
 * customer's own card trouble and questions do not make a threat.
 */
function threatens(name: string, sentence: string, match: RegExpExecArray, next: string, broad: boolean, context: TextContext): boolean {
	const before = sentence.slice(0, match.index);
	const from = sentence.slice(match.index);
	const opening = quotationOpening(before);
	if (opening >= 0 && (SOMEONE_ELSE_SAID.test(before.slice(0, opening)) || /\b(?:text|message|email|sms|letter|notice|note)\b[^"\u201c\u00ab]*:\s*$/.test(before.slice(0, opening)))) return false;
	if ((NEGATED.test(before.replace(NO_NEWS, ' ')) || NEGATED_INTENT.test(before)) && !DARE.test(before) && !RELUCTANT.test(`${from} ${next}`)) return false;
	if ((SOMEONE_ADVISED.test(before) || (broad && SOMEONE_ADVISED.test(`${before}${match[0]}`.replace(/\S+$/, '')))) && !ADVICE_TAKEN.test(`${from} ${next}`)) return false;
	if ((SAID_BEFORE.test(before) && APOLOGY.test(`${sentence} ${next}`)) || NO_INTENTION_AFTER.test(from)) return false;
	if (JOKING.test(sentence) || JOKE_AFTER.test(next) || WITHDRAWN.test(sentence) || TAKEN_BACK.test(before) || AGENT_ADVICE.test(before) || ALERT_QUOTED.test(before) || /\bhow (?:(?:do|does|you|small|stores|shops|businesses|merchants|sellers)\s+)*(?:deal|handle|cope|manage)\w* with\b[^.!?]{0,30}$/.test(before) || (HEARSAY_BEFORE.test(before) && !/\b(?:my|i|i'?m|i'?ll|we|our)\b/.test(match[0]) && !ADVICE_TAKEN.test(`${from} ${next}`))) return false;
	if (name === 'chargeback' && /\b(?:please|pls|can you|could you|would you|kindly)\s+(?:\w+\s+)?$/.test(before) && /^stop the payment/.test(from)) return false;
	if ((name === 'chargeback' || name === 'dispute') && (BY_MISTAKE.test(sentence.slice(match.index + match[0].length)) || /\b(?:accidentally|mistakenly|by mistake|by accident)\b[^.!?]{0,30}$/.test(before) || WITHDRAWN.test(next) || /^\s*(?:nvm|never ?mind|scratch that|ignore (?:that|this|me))\b/.test(next) || NOT_ASKED_FOR.test(`${sentence} ${next}`))) return false;
	const ultimatum = ULTIMATUM.test(sentence) || ULTIMATUM.test(next);
	if (broad && (OWN_CARD_TROUBLE.test(sentence) || (/\?\s*$/.test(sentence) && !OWN_ACTION.test(sentence) && !ultimatum))) return false;
	if (/\b(?:came|come|coming) across (?:like|as)\b|\bsound(?:ed|s)? like (?:i was|i'?m|i am)\b/.test(before)) return false;
	if (HYPOTHETICAL_PAST.test(before) && /\b(?:but|pero|mais|aber|when|before (?:i )?realis|before (?:i )?realiz)/.test(from)) return false;
	if (lookAlike(name, sentence, before, from, next, context)) return false;
	// a review or a post mentioned with praise ("posting it on insta, it's gorgeous") praises, it does not threaten
	if ((name === 'public_review' || name === 'social_media') && PRAISING.test(sentence) && !CONDEMNING.test(sentence)) return false;
	if (name === 'public_review' && REVIEW_LATER.test(from) && !CONDEMNING.test(sentence)) return false;
	if (name === 'social_media' && NOT_THE_CUSTOMER_POSTING.test(before)) return false;
	if (name === 'dispute' && COURIER_CLAIM.test(sentence)) return false;
	// a procedure asked about ("is this the right place to send a letter before claim?") is a claim on its way
	if (name === 'legal' && /letter|claim|court|serv/.test(match[0])) return true;
	return !(POLICY_QUESTION.test(sentence) && !OWN_ACTION.test(sentence) && !ultimatum);
}

/**
 * Threats the customer makes now, sentence by sentence, in their own words (customerWords: quoted replies, the
 * signature and who signs gone; readThreats takes words already so read): a cue under negation, a review mentioned
 * with praise, or a policy question is not a threat. `otherLanguageWords` false:
 * the text has no word the Spanish, French and German cues need (wordFlags' OTHER_LANGUAGE_THREAT_WORD), so they
 * are not run.
 */
export function threatsIn(text: string, otherLanguageWords = true): string[] {
	return readThreats(customerWords(text), otherLanguageWords).threats;
}

/** What readThreats read: see there. */
export interface ThreatReading {
	threats: string[];
	strongCue: boolean;
	/** The sentences a chargeback, dispute or legal threat was read in. */
	strongSentences: string[];
}

/**
 * threatsIn's threats, whether a chargeback, dispute or legal cue matched at all (`strongCue`), threat or not: a
 * cue the rules set aside as negated, quoted, a question or a look-alike was read, and the rules' reading stands
 * there; and the sentences such a threat was read in (`strongSentences`).
 */
export function readThreats(text: string, otherLanguageWords = true): ThreatReading {
	// most tickets name no threat at all: one pass of all the cues together says so, and a text that names no bank or
	// payment provider needs no more; one that does, and has no other cue, is read with the cues that name one alone
	const otherCues = (otherLanguageWords ? ANY_THREAT_CUE : ANY_ENGLISH_THREAT_CUE).test(text);
	if (!otherCues && !BACKER_NAMED.test(text)) return { threats: [], strongCue: false, strongSentences: [] };
	const cues = !otherCues ? NAMING_CUES_EVERYWHERE : otherLanguageWords ? THREAT_CUES_EVERYWHERE : ENGLISH_THREAT_CUES_EVERYWHERE;
	const found = new Set<string>();
	let strongCue = false;
	const strongSentences: string[] = [];
	const sentences = text.split(SENTENCE_BREAK);
	const context: TextContext = { lawOffice: LAW_OFFICE.test(text), estate: CONVEYANCING.test(text) };
	for (let at = 0; at < sentences.length; at++) {
		const sentence = sentences[at];
		const backerNamed = BACKER_NAMED.test(sentence);
		for (const [name, pattern] of cues) {
			if (found.has(name) || (!backerNamed && NAMING_CUES.has(pattern))) continue;
			pattern.lastIndex = 0;
			let match: RegExpExecArray | null;
			// every place a cue starts: a negated or a borrowed one does not hide a real one later in the sentence
			while ((match = pattern.exec(sentence)) !== null) {
				if (STRONG_THREATS.includes(name)) strongCue = true;
				if (threatens(name, sentence, match, sentences[at + 1] ?? '', BROAD_CUES.has(pattern), context)) {
					found.add(name);
					if (STRONG_THREATS.includes(name) && !strongSentences.includes(sentence)) strongSentences.push(sentence);
					break;
				}
				pattern.lastIndex = match.index + 1;
			}
		}
	}
	return { threats: THREAT_KINDS.filter((name) => found.has(name)), strongCue, strongSentences };
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
	/** Whether a chargeback, dispute or legal cue matched at all, threat or not (readThreats). */
	strongThreatCue: boolean;
	/** The sentences a chargeback, dispute or legal threat was read in (readThreats). */
	strongThreatSentences: string[];
	urgency: string[];
}

/** Where quoted history starts: a reply header in English, Spanish, French or German, or a forwarded message's marker. */
const QUOTE_STARTS = [
	/^\s*on .{3,200} wrote:\s*$/i,
	/^\s*el .{3,200} escribió:\s*$/i,
	/^\s*le .{3,200} a écrit\s*:\s*$/i,
	/^\s*am .{3,200} schrieb .{0,80}:\s*$/i,
	/^\s*-{2,}\s*(?:original message|forwarded message|mensaje original|message d'origine|ursprüngliche nachricht)/i,
	// Outlook's line of underscores above the message replied to, or its header of the message replied to
	/^_{10,}\s*$/,
	/^\s*from:\s.*(?:@|<)/i,
];
/** A signature: the "-- " line, or a mobile client's sign-off. */
const SIGNATURE_STARTS = [/^--\s*$/, /^\s*sent from my (?:iphone|ipad|android|samsung|phone)\b/i];
/**
 * A sign-off on a line of its own ("kind regards,", "yours faithfully,", "thanks,"): the customer's last words, with
 * their name, title, firm and address under it ("Legal Counsel", "Harrow & Pell LLP, Solicitors": who signs, not what
 * the customer says).
 */
const SIGN_OFF = /^\s*(?:(?:kind|best|warm|warmest|many|with (?:kind|best|warm)|yours)\s+)?(?:regards|wishes|sincerely|faithfully|truly|respectfully)\s*[,.!]?\s*$|^\s*(?:many )?(?:thanks|thank you|cheers)(?: (?:again|so much|in advance))?\s*,\s*$|^[^.!?]{0,40}\b(?:regards|best wishes|sincerely|faithfully)\s*,\s*$/i;
/** What is still the customer's under a sign-off: a P.S., or words in their own voice or to the shop ("see you in court"). */
const UNDER_SIGN_OFF_KEPT = /^\s*p\.?\s?s\.?\b|\b(?:i|i'?m|i'?ll|i'?ve|i'?d|my|we|we'?ll|we'?re|our|me|us|you|your)\b/i;
/**
 * After the signature, only what the customer still writes: a P.S., or a sentence of six words or more in their own
 * voice ("also i have the chargeback form from amex right here"), not a title, an address or a disclaimer.
 */
const WRITTEN_AFTER_SIGNATURE = /^\s*p\.?\s?s\.?\b|^(?=(?:\S+\s+){5,})(?=.*\b(?:i|i'm|i've|i'll|my|we|we'll|our)\b)(?!.*\b(?:confidential|privileged|intended (?:only )?for|recipient|virus|registered (?:in|office|charity|number)|regulated by|authori[sz]ed|disclaimer|unsubscribe|environment before printing)\b)/i;

/**
 * The customer's own words: quoted replies (lines starting with ">", and everything from "On <date>, <someone>
 * wrote:" or a forwarded message on) and the signature dropped (from a "-- " line or a mobile client's, or under a
 * sign-off that is not the message's first line), all but what the customer still writes after it. Our own words,
 * what the customer quotes, and who signs are not what they say now.
 */
export function customerWords(body: string): string {
	const lines = body.split(/\r?\n/);
	const kept: string[] = [];
	// under a signature, or under a sign-off: what of the lines after it is still the customer's
	let signed: RegExp | undefined;
	// whether a line with words was kept; whether one was kept after the first line kept
	let started = false;
	let pastFirstLine = false;
	for (const line of lines) {
		if (started && QUOTE_STARTS.some((pattern) => pattern.test(line))) break;
		if (started && signed !== WRITTEN_AFTER_SIGNATURE && SIGNATURE_STARTS.some((pattern) => pattern.test(line))) {
			signed = WRITTEN_AFTER_SIGNATURE;
			continue;
		}
		if (/^\s*>/.test(line) || (signed && !signed.test(line))) continue;
		// a sign-off after the message's first line: what follows is who signs, but for what the customer still writes
		if (!signed && pastFirstLine && SIGN_OFF.test(line)) signed = UNDER_SIGN_OFF_KEPT;
		if (line.trim()) {
			started = true;
			if (kept.length > 0) pastFirstLine = true;
		}
		kept.push(line);
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
	const threatsRead = threats ? readThreats(text, !hints || hints.otherLanguageThreatWords) : { threats: [], strongCue: false, strongSentences: [] };
	return {
		intents,
		sentimentScore: hints ? hints.sentimentScore : sentimentOf(`${subject}\n${ownWords}`),
		threats: threatsRead.threats,
		strongThreatCue: threatsRead.strongCue,
		strongThreatSentences: threatsRead.strongSentences,
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
	'scam fraud artists thie robbery american mastercard chase capital monzo revolut paused counsel advocate injury magistrate ' +
	'affirm sezzle citi wells hsbc natwest lloyds santander halifax starling discover barclay nationwide westpac ' +
	'hdfc icici tribunal daakhil moneyclaim mcol judge institut google apple arbitrat adjudicat registered atorney attourney attorny lawer laywer solicter sollicitor venmo cash living represent pursu guarantee ebay etsy depop shopee lazada mercari vinted poshmark laybuy humm atome splitit paybright openpay zip stubhub viagogo fanprotect').split(' ');
const THREAT_WHOLE_WORDS = new Set('pay served case sue sued section friends family x r fb asa ico bbb ftc amex visa yelp con law rbc bmo cibc sbi class vcat ncat qcat'.split(' '));
/**
 * The same for the Spanish, French and German cues (OTHER_LANGUAGE_THREAT_CUES): a word of theirs is a threat word
 * too, and a text with none of them runs the English cues alone.
 */
const OTHER_LANGUAGE_THREAT_PARTS = ('cargo banco paiement prélèvement débit opposition rétrofacturation rückbuch lastschrift zahlung ' +
	'zurück einschalt schalte disputa reclamación litige käuferschutz abogad judicial legales avocat demeure justice plainte tribunal ' +
	'anwalt anwält rechtliche mahnverfahren gericht klage consumo dgccrf millions verbraucherzentrale schlichtungsstelle burofax ' +
	'juicio créances huissier injonction contest legalmente judicialmente demandar rejet bloquer kreditkarten kartenanbieter juzgado ' +
	'tribunales assignation anul banque desconoc mahnbescheid amtsgericht gerichtlich').split(' ');
const OTHER_LANGUAGE_THREAT_WHOLE_WORDS = new Set(['pago', 'fall', 'ocu', 'demanda', 'rejeté']);
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
