/**
 * The triage decision: (ticket, customer profile, policy, now) -> the director's request contract plus
 * intents, sentiment, flags, tier, priority, SLA due times and the reasons for each. Pure: no n8n, no I/O.
 */
import { formatInstant } from '../shared/email/text';
import {
	higherPriority,
	priorityRank,
	raisePriority,
	type Channel,
	type CustomerTier,
	type DirectorRequest,
	type FollowUp,
	type InteractionType,
	type IssueType,
	type Priority,
	type ResolutionType,
	type Sentiment,
} from '../shared/contract/request';
import { formatMoney, isOver, moneyFromDecimal } from '../shared/money';
import { ESCALATION_POLICY, FIRST_RESPONSE_MINUTES, RESOLUTION_HOURS, TIER_POLICY, type TierPolicy } from '../shared/policy';
import { addBusinessMinutes, addMinutes, dueAfterPauses, isoTime, type BusinessHours } from '../shared/time';
import { tierFromProfile, type CustomerProfile } from '../shared/contract/customer';
import type { Ticket } from '../shared/contract/ticket';
import { STRONG_THREATS, customerWords, readSignals, type Intent, type IntentMatch, type TextSignals } from './language';
import { classify, inputFromFeatures, readTicket, type HeadAnswer, type LearnedModel, type TicketReading } from './learnedModel';
import { requestPieces, textFeatures, ticketLanguage } from './ticketText';

/** The shipped model, for nodes that triage with triage's decision (CX VIP Escalation's untriaged cases). */
export { triageModel } from './triageModel';

export interface TriagePolicy {
	tiers: TierPolicy;
	escalation: typeof ESCALATION_POLICY;
	firstResponse: typeof FIRST_RESPONSE_MINUTES;
	resolutionHours: typeof RESOLUTION_HOURS;
	/** Off (null): SLA clocks run around the clock. */
	businessHours: BusinessHours | null;
}

export const DEFAULT_TRIAGE_POLICY: TriagePolicy = {
	tiers: TIER_POLICY,
	escalation: ESCALATION_POLICY,
	firstResponse: FIRST_RESPONSE_MINUTES,
	resolutionHours: RESOLUTION_HOURS,
	businessHours: null,
};

/** How sure the reading of the intent is: 'low' is a best guess a person should check (tagged low_confidence). */
export type Confidence = Sureness | null;
type Sureness = 'high' | 'medium' | 'low';

export interface TriageResult {
	ticketId: string;
	channel: Channel;
	/** The rules: 'general' when no cue is clear. The model: its best guess, with `confidence` 'low' under 45%. */
	intent: Intent;
	/** null when the rules found no intent; 'low' when the learned model's best guess is under 45%. */
	confidence: Confidence;
	/** A second, different request in the same ticket (the model's reading of its pieces, or the rules' second cue). */
	secondaryIntent: Intent | null;
	/** Which reading decided: the learned model (probabilities, the words that weighed) or the hand-written rules (cues). */
	classifier: 'learned' | 'rules';
	/** The customer's language (ISO 639-1, tinyld), when the learned model read the ticket; not English lowers the confidence. */
	language?: string;
	intents: IntentMatch[];
	sentiment: { label: Sentiment; score: number };
	flags: { threatening: boolean; urgent: boolean; threats: string[]; urgency: string[] };
	tier: CustomerTier;
	tierSource: 'input' | 'shopify' | 'default';
	priority: Priority;
	escalate: boolean;
	escalationReasons: string[];
	tags: string[];
	sla: {
		firstResponseMinutes: number;
		firstResponseDueAt: string;
		resolutionHours: number;
		resolutionDueAt: string;
		clock: 'business_hours' | 'calendar';
		timeZone?: string;
		/** Store holidays the business-hours clock skips. */
		holidays?: string[];
		firstResponseOverdue: boolean;
		/** Never while the ticket waits on the customer: its resolution clock is paused. */
		resolutionOverdue: boolean;
		/** The ticket waits on the customer (pending, on hold, or a pause under way): the resolution clock is paused. */
		resolutionPaused: boolean;
		/** How far waiting on the customer has moved the resolution on, in seconds (earlier pauses and the current one up to now; on a business-hours clock the current one counts its working time, and the move is working time too). */
		pausedSeconds: number;
		/** When the resolution is due once the wait so far is added: resolutionDueAt moved on by pausedSeconds. */
		resolutionDueAfterWaitAt: string;
	};
	customer?: {
		lifetimeSpend: string;
		orderCount: number;
		tags: string[];
		latestOrder?: CustomerProfile['latestOrder'];
	};
	reasons: string[];
	summary: string;
}

export interface TriageDecision {
	request: DirectorRequest;
	triage: TriageResult;
}

const QUALITY_INTENTS: Intent[] = ['damaged', 'wrong_item', 'missing_item'];

/** The issue type each intent belongs to (docs/triage-corpus.md labels the corpus by the same table). */
export const ISSUE_BY_INTENT: Record<Intent, IssueType> = {
	shipping_status: 'shipping',
	shipping_delay: 'shipping',
	damaged: 'product',
	wrong_item: 'order',
	missing_item: 'order',
	refund_request: 'order',
	return_request: 'order',
	exchange_request: 'order',
	cancellation: 'order',
	billing: 'order',
	order_change: 'order',
	discount_issue: 'order',
	product_question: 'product',
	feedback: 'general',
	praise: 'general',
	general: 'general',
};

const RESOLUTION_BY_INTENT: Partial<Record<Intent, ResolutionType>> = {
	damaged: 'replacement',
	wrong_item: 'replacement',
	missing_item: 'replacement',
	exchange_request: 'replacement',
	refund_request: 'refund',
	return_request: 'refund',
	cancellation: 'refund',
	discount_issue: 'credit',
};

/** Base priority by what the customer needs: broken goods and money first, questions last. */
const PRIORITY_BY_INTENT: Record<Intent, Priority> = {
	damaged: 'high',
	wrong_item: 'high',
	missing_item: 'high',
	billing: 'high',
	cancellation: 'high',
	order_change: 'high',
	shipping_delay: 'medium',
	refund_request: 'medium',
	return_request: 'medium',
	exchange_request: 'medium',
	discount_issue: 'medium',
	general: 'medium',
	shipping_status: 'low',
	product_question: 'low',
	feedback: 'low',
	praise: 'low',
};

/** An intent needs at least one clear cue (weight 1) to be named; weaker evidence stays 'general'. */
const MIN_INTENT_SCORE = 1;
const SENTIMENT_NEGATIVE = -0.2;
const SENTIMENT_POSITIVE = 0.2;
const VERY_NEGATIVE = -0.6;


function sentimentLabel(score: number): Sentiment {
	if (score <= SENTIMENT_NEGATIVE) return 'negative';
	if (score >= SENTIMENT_POSITIVE) return 'positive';
	return 'neutral';
}

function chooseIntent(intents: IntentMatch[]): { intent: Intent; confidence: Confidence } {
	// praise rides along with complaints ("love your shop, but ..."): it names the ticket only when alone
	const issues = intents.filter((match) => match.intent !== 'praise');
	const ranked = issues.length ? issues : intents;
	const [first, second] = ranked;
	if (!first || first.score < MIN_INTENT_SCORE) return { intent: 'general', confidence: null };
	const clear = first.score >= 2 && (!second || first.score >= 2 * second.score);
	return { intent: first.intent, confidence: clear ? 'high' : 'medium' };
}

function firstResponseTarget(
	policy: TriagePolicy['firstResponse'],
	ticket: Ticket,
	intent: Intent,
	tier: CustomerTier,
	priority: Priority,
): { minutes: number; reason: string } {
	const issueTarget = QUALITY_INTENTS.includes(intent)
		? ['quality', policy.byIssue.quality]
		: ISSUE_BY_INTENT[intent] === 'shipping'
			? ['shipping', policy.byIssue.shipping]
			: ['general', policy.byIssue.general];
	const candidates: Array<[string, number | undefined]> = [
		['overall', policy.overall],
		[`issue_${issueTarget[0]}`, issueTarget[1] as number],
		[`channel_${ticket.channel}`, policy.byChannel[ticket.channel]],
		[`priority_${priority}`, policy.byPriority[priority]],
		['tier_vip', tier === 'vip' ? policy.vip : undefined],
	];
	let best: [string, number] = ['overall', policy.overall];
	for (const [name, minutes] of candidates) {
		if (minutes !== undefined && minutes > 0 && minutes < best[1]) best = [name, minutes];
	}
	return { minutes: best[1], reason: `first_response_${formatDuration(best[1])}:${best[0]}` };
}

function formatDuration(minutes: number): string {
	if (minutes < 1) return `${Math.round(minutes * 60)}s`;
	if (minutes < 60 || minutes % 60) return `${minutes}m`;
	return `${minutes / 60}h`;
}

/** What the words say, whoever read them: the intent and how sure, a second intent, the sentiment, why. */
interface Reading {
	/** The customer's language (ISO 639-1), when the model read the ticket. */
	language?: string;
	/** The threats that stand: the rules' cues, weighed by the learned threat head when there is one. */
	threats: string[];
	intent: Intent;
	confidence: Confidence;
	secondaryIntent: Intent | null;
	intents: IntentMatch[];
	sentiment: { label: Sentiment; score: number };
	/** The words that weighed most for the sentiment, when the model read it. */
	sentimentWords?: string[];
	/** `<intent>:<the sentiment head's own label>_to_<label>` when the intent read changed the sentiment's label. */
	sentimentByIntent?: string;
	reasons: string[];
}

/** The learned model's probability at or above which its intent is high, or medium, confidence. */
const HIGH_PROBABILITY = 0.75;
const MEDIUM_PROBABILITY = 0.45;
/**
 * A second request: when the model's `requests` head gives a second one at least SECOND_REQUEST_GATE, each piece of the
 * ticket (ticketText.ts requestPieces) is read alone, and the surest piece whose intent is another request, at
 * SECOND_REQUEST_PROBABILITY or more, names it. Cross-validated on the corpus's train split (4 folds,
 * scripts/train-triage.js --folds): 97 of 524 second requests found, right on 32% of the tickets it names one for;
 * the runner-up of the whole ticket's intent, on a train split half the size, found 36 of 267 at 7%.
 * Thanks, feedback and "anything else" are not a request to act on.
 */
const SECOND_REQUEST_GATE = 0.05;
const SECOND_REQUEST_PROBABILITY = 0.5;
const NOT_A_SECOND_REQUEST: Intent[] = ['general', 'praise', 'feedback'];

function secondRequest(model: LearnedModel, reading: TicketReading, intent: Intent, ownWords: string): { label: Intent; probability: number } | undefined {
	const two = reading.heads.requests?.ranked.find((entry) => entry.label === 'two')?.probability ?? 0;
	if (two < SECOND_REQUEST_GATE) return undefined;
	let best: { label: Intent; probability: number } | undefined;
	for (const piece of requestPieces(ownWords)) {
		const [top] = readTicket(model, '', piece, [], 0).heads.intent.ranked;
		const label = top.label as Intent;
		if (label === intent || NOT_A_SECOND_REQUEST.includes(label) || top.probability < SECOND_REQUEST_PROBABILITY) continue;
		if (!best || top.probability > best.probability) best = { label, probability: top.probability };
	}
	return best;
}

/** A model feature as a person reads it: the word or the two words, the lexicon, a shape. */
function readableFeature(feature: string): string | undefined {
	const [kind, name] = [feature.slice(0, 1), feature.slice(2)];
	if (kind === 'w' || kind === 'b') return `"${name}"`;
	if (kind === 's') return `${name} words`;
	if (kind === 'x') return name === 'caps' ? 'ALL CAPS' : `"${name}"`;
	return undefined;
}

/** A head's evidence as a person reads it: its words, runs and shapes (character n-grams left out). */
function readableEvidence(answer: HeadAnswer): string[] {
	return answer.evidence.map((entry) => readableFeature(entry.feature)).filter((word): word is string => !!word);
}

function readByRules(signals: TextSignals): Reading {
	const { intent, confidence } = chooseIntent(signals.intents);
	const threats = signals.threats;
	const second = signals.intents.find((match) => match.intent !== intent && match.intent !== 'praise' && match.score >= MIN_INTENT_SCORE);
	return {
		threats,
		intent,
		confidence,
		secondaryIntent: intent === 'general' ? null : (second?.intent ?? null),
		intents: signals.intents,
		sentiment: { label: sentimentLabel(signals.sentimentScore), score: signals.sentimentScore },
		reasons: [confidence ? `intent_${intent}:${confidence}` : 'intent_general:no_clear_intent'],
	};
}

/**
 * Threats are first the rules' (precision first): a cue names the threat, the threat head weighs in. A cue is set
 * aside when the head is `CALM_TO_SET_ASIDE` sure the ticket is calm. A chargeback, dispute or legal cue only in an
 * English ticket (the head learned those kinds from English messages written apart from the corpus as well as from
 * the corpus), and only when the head also reads each sentence the rules read such a threat in as calm more likely
 * than not (`CALM_IN_CUE_SENTENCE`): a long, warm or sarcastic message can read as calm as a whole around one sentence
 * that is a threat ("Thank you so much for the wonderful Christmas memory. ... Chase is processing my chargeback").
 * Chosen on rounds of probes the head never saw and on the corpus's train split cross-validated: it set aside about
 * two in five of the calm messages the cues flagged and none of the threats they caught (README, "Threats on wordings
 * written apart"). A chargeback, dispute or legal cue in another language stands; when the head is all but sure the
 * ticket is calm, the reasons say so for the person who looks.
 *
 * The head also names a chargeback, a dispute or a legal threat (`threat_model:<kind>:<p>%`, with the words that
 * weighed most) where no such cue matched at all, when the customer's words (a sentence at least) have a word the
 * threat cues wait for (language.ts wordFlags: a bank, a card, a payment provider, a claim, a lawyer, a court...) and
 * it is `MODEL_STRONG_THREAT` sure of one of the three. It knows banks and providers no cue lists ("i'm calling chime
 * and having them pull the money back"). Where a cue matched and the rules set it aside (negated, quoted, a question,
 * a look-alike), the head must be all but sure (`threat_model_over_cue:<kind>:<p>%`): it reads a negation or a
 * question less well than they do. For the other kinds it only says so (`threat_model_unconfirmed`) for a person to
 * look.
 */
const CALM_TO_DOUBT_STRONG = 0.995;
const CALM_TO_SET_ASIDE = 0.95;
const CALM_IN_CUE_SENTENCE = 0.5;
const CALM_BELOW_TO_MENTION = 0.1;
/**
 * How sure the head must be of a chargeback, a dispute or a legal threat (the three together) that no cue names: chosen
 * on a round of probes it never saw and on the corpus's train split cross-validated.
 */
const MODEL_STRONG_THREAT = 0.7;
/** The fewest words the head names a threat alone in: a few words ("weekly report", "case from request") are not a customer's threat. */
const MODEL_THREAT_MIN_WORDS = 6;
const wordCount = (subject: string, ownWords: string) => `${subject} ${ownWords}`.split(/\s+/).filter(Boolean).length;
/** How sure where the rules read such a cue and set it aside (chosen the same way: no calm ticket of the train split more). */
const MODEL_OVER_SET_ASIDE_CUE = 0.98;

/** Languages the model learned from a few hundred tickets (the corpus: about 130 each): one step less sure there. */
const LEARNED_LANGUAGES = ['es', 'fr', 'de'];
const LOWER: Record<Sureness, Sureness> = { high: 'medium', medium: 'low', low: 'low' };

/** How sure the threat head is that a text is calm. */
const calmOf = (head: HeadAnswer['ranked']) => head.find((entry) => entry.label === 'none')?.probability ?? 1;

/**
 * The rules' cues weighed by the threat head (`head`: its ranked labels; `english`: whether the ticket reads as
 * English, where the head may set a chargeback, dispute or legal cue aside; `cueSentencesCalm`: how sure the head is
 * that the least calm of the sentences such a threat was read in is calm), and a strong threat the head names alone:
 * `MODEL_STRONG_THREAT` sure where the rules read no chargeback, dispute or legal cue, `MODEL_OVER_SET_ASIDE_CUE` sure
 * where they read one and set it aside (`strongCueRead`), and only in a text `mayName` allows. `explain` gives the
 * words that weighed most for a kind.
 */
function weighThreats(
	cues: string[],
	head: HeadAnswer['ranked'],
	english: boolean,
	cueSentencesCalm: () => number,
	strongCueRead: boolean,
	mayName: () => boolean,
	explain: (kind: string) => string[],
): { threats: string[]; reasons: string[] } {
	const calm = calmOf(head);
	const sentenceCalm = english && calm >= CALM_TO_SET_ASIDE && cues.some((kind) => STRONG_THREATS.includes(kind)) ? cueSentencesCalm() : 0;
	const threats = cues.filter((kind) => (STRONG_THREATS.includes(kind) ? sentenceCalm < CALM_IN_CUE_SENTENCE : calm < CALM_TO_SET_ASIDE));
	const percent = `calm_${Math.round(calm * 1000) / 10}%`;
	const inSentence = (kind: string) => (STRONG_THREATS.includes(kind) ? `:cue_sentence_calm_${Math.round(sentenceCalm * 1000) / 10}%` : '');
	const reasons = [
		...cues.filter((kind) => !threats.includes(kind)).map((kind) => `threat_cue_set_aside:${kind}:${percent}${inSentence(kind)}`),
		...(calm >= CALM_TO_DOUBT_STRONG ? threats.map((kind) => `threat_cue_doubted:${kind}:${percent}`) : []),
	];
	const strong = head.filter((entry) => STRONG_THREATS.includes(entry.label));
	const strongProbability = strong.reduce((sum, entry) => sum + entry.probability, 0);
	const sureEnough = strongCueRead ? MODEL_OVER_SET_ASIDE_CUE : MODEL_STRONG_THREAT;
	if (strong.length && strongProbability >= sureEnough && !threats.some((kind) => STRONG_THREATS.includes(kind)) && mayName()) {
		// ranked: the first strong label is the likeliest of the three
		const kind = strong[0].label;
		threats.push(kind);
		const words = explain(kind);
		reasons.push(`${strongCueRead ? 'threat_model_over_cue' : 'threat_model'}:${kind}:${Math.round(strongProbability * 100)}%`, ...(words.length ? [`threat_words:${words.join(', ')}`] : []));
	} else if (!cues.length && calm < CALM_BELOW_TO_MENTION) reasons.push(`threat_model_unconfirmed:${Math.round((1 - calm) * 100)}%`);
	return { threats, reasons };
}

function readByModel(model: LearnedModel, reading: TicketReading, ticket: Ticket, ownWords: string, signals: TextSignals): Reading {
	// the words behind a threat only the head names: read again for that kind, which few tickets need
	const explain = (kind: string) => readableEvidence(classify(model, 'threat', inputFromFeatures(model, textFeatures(ticket.subject, ticket.body, model.lemmas)), 5, kind));
	// a sentence at least, with a word a threat cue waits for (a bank, a card, a provider, a claim, a lawyer, a court...)
	const mayName = () => reading.threatWords && wordCount(ticket.subject, ownWords) >= MODEL_THREAT_MIN_WORDS;
	// not English: tagged with its language and less sure, rather than misread with confidence
	const language = ticketLanguage(ticket.subject, ownWords, reading.plainlyEnglish);
	// the sentences the rules read a chargeback, dispute or legal threat in, each read by the head alone (few tickets)
	const cueSentencesCalm = () => (signals.strongThreatSentences.length ? Math.min(...signals.strongThreatSentences.map((sentence) => calmOf(readTicket(model, '', sentence, [], 0).heads.threat.ranked))) : 0);
	const weighed = weighThreats(signals.threats, reading.heads.threat.ranked, language === 'en', cueSentencesCalm, signals.strongThreatCue, mayName, explain);
	const read = reading.heads.intent;
	const [top] = read.ranked;
	const intent = top.label as Intent;
	const second = secondRequest(model, reading, intent, ownWords);
	const sureness: Sureness = top.probability >= HIGH_PROBABILITY ? 'high' : top.probability >= MEDIUM_PROBABILITY ? 'medium' : 'low';
	const confidence: Confidence = language === 'en' ? sureness : LEARNED_LANGUAGES.includes(language) ? LOWER[sureness] : 'low';
	const words = readableEvidence(read);
	const feeling = reading.heads.sentiment;
	const feelingWords = readableEvidence(feeling);
	const probability = (label: string) => feeling.ranked.find((entry) => entry.label === label)?.probability ?? 0;
	const label = feeling.ranked[0].label as Sentiment;
	const percent = (value: number) => Math.round(value * 100);
	return {
		language,
		threats: weighed.threats,
		intent,
		confidence,
		secondaryIntent: second?.label ?? null,
		intents: read.ranked
			.filter((entry, index) => index === 0 || entry.probability >= 0.05)
			.slice(0, 3)
			.map((entry, index) => ({ intent: entry.label as Intent, score: Math.round(entry.probability * 100) / 100, cues: index === 0 ? words : [] })),
		// from -1 (surely negative) to 1 (surely positive)
		sentiment: { label, score: Math.round((probability('positive') - probability('negative')) * 100) / 100 },
		sentimentWords: feelingWords,
		...(reading.sentimentAlone !== undefined && reading.sentimentAlone !== label ? { sentimentByIntent: `${intent}:${reading.sentimentAlone}_to_${label}` } : {}),
		reasons: [
			`intent_${intent}:${confidence}:${percent(top.probability)}%`,
			...(words.length ? [`intent_words:${words.join(', ')}`] : []),
			...(second ? [`second_intent_${second.label}:${percent(second.probability)}%`] : []),
			...weighed.reasons,
			...(language !== 'en' ? [`language_${language}:confidence_${sureness}_to_${confidence}`] : []),
		],
	};
}

/** Intents that report something to put right: a VIP's praise, feedback or calm question is not escalated for the tier. */
const NOT_AN_ISSUE: Intent[] = ['praise', 'feedback'];
const QUESTIONS: Intent[] = ['product_question', 'general'];

/**
 * Why a ticket is not an issue to put right (`<intent>_<sentiment>`: praise, feedback, or a question asked without
 * complaint), or undefined when it is one. The seeds escalate a VIP's issues: the tier alone never escalates the
 * rest, here or in CX VIP Escalation.
 */
export function notAnIssue(intent: string, sentiment: string): string | undefined {
	const calmQuestion = QUESTIONS.includes(intent as Intent) && sentiment !== 'negative';
	return NOT_AN_ISSUE.includes(intent as Intent) || calmQuestion ? `${intent}_${sentiment}` : undefined;
}

/**
 * `model`: the learned classifier (triageModel.ts) reads the intent and the sentiment; without it the hand-written
 * rules do. Threats are the rules' first, and the threat head's where it is sure of a chargeback, a dispute or a
 * legal threat no cue names (weighThreats); urgency is the rules'.
 */
export function triageTicket(
	ticket: Ticket,
	profile: CustomerProfile | undefined,
	policy: TriagePolicy,
	now: Date,
	model?: LearnedModel,
): TriageDecision {
	const reasons: string[] = [];
	const ownWords = customerWords(ticket.body);
	// with the model, the intent cues are not read (the model reads the intent), nor the threat and urgency cues
	// whose words the model's scan did not see
	const scanned = model ? readTicket(model, ticket.subject, ownWords) : undefined;
	const signals = readSignals(ticket.subject, ticket.body, !model, ownWords, scanned);
	const reading = model && scanned ? readByModel(model, scanned, ticket, ownWords, signals) : readByRules(signals);
	const threats = reading.threats;
	const { intent, confidence, sentiment } = reading;
	reasons.push(...reading.reasons);
	reasons.push(`sentiment_${sentiment.label}:${sentiment.score}`);
	if (reading.sentimentWords?.length) reasons.push(`sentiment_words:${reading.sentimentWords.join(', ')}`);
	// the intent read tipped the sentiment (praise is positive, a damaged or late order negative, however calmly told)
	if (reading.sentimentByIntent) reasons.push(`sentiment_by_intent:${reading.sentimentByIntent}`);
	const threatening = threats.length > 0;
	const urgent = signals.urgency.length > 0;
	if (threatening) reasons.push(`threatening:${threats.join('+')}`);
	if (urgent) reasons.push(`urgent_language:${signals.urgency.join('+')}`);

	let tier: CustomerTier = 'regular';
	let tierSource: TriageResult['tierSource'] = 'default';
	if (ticket.tier) {
		tier = ticket.tier;
		tierSource = 'input';
		reasons.push(`tier_${tier}:from_ticket`);
	} else if (profile) {
		const fromProfile = tierFromProfile(profile, policy.tiers);
		tier = fromProfile.tier;
		tierSource = 'shopify';
		reasons.push(fromProfile.reason);
	} else {
		reasons.push('tier_regular:unknown_customer');
	}

	let priority = PRIORITY_BY_INTENT[intent];
	reasons.push(`priority_base_${priority}:intent_${intent}`);
	const raise = (to: Priority, why: string) => {
		if (priorityRank(to) > priorityRank(priority)) {
			priority = to;
			reasons.push(`priority_${to}:${why}`);
		}
	};
	// how strongly the words feel is the lexicon's measure (the model's score is how sure it is of the label)
	if (sentiment.label === 'negative' && signals.sentimentScore <= VERY_NEGATIVE) raise(raisePriority(priority), 'very_negative_sentiment');
	if (urgent) raise(sentiment.label === 'negative' ? 'urgent' : 'high', 'urgent_language');
	// the seeds escalate a VIP's issues: thanks, feedback and a calm question wait their turn like anyone's
	const notIssue = notAnIssue(intent, sentiment.label);
	const isIssue = notIssue === undefined;
	if (tier === 'vip' && isIssue) raise(higherPriority(raisePriority(priority), 'high'), 'tier_vip');
	const orderValueLimit = policy.escalation.escalateOrderValueOver;
	const bigOrder =
		ticket.orderValue !== undefined &&
		orderValueLimit > 0 &&
		isOver(ticket.orderValue, moneyFromDecimal(orderValueLimit, ticket.orderValue.currency));
	if (bigOrder) raise('high', `order_value_over_${orderValueLimit}`);
	if (threatening) raise('urgent', 'threatening_language');

	const escalationReasons: string[] = [];
	if (policy.escalation.escalateVip && tier === 'vip' && isIssue) escalationReasons.push('tier_vip');
	if (tier === 'vip' && !isIssue) reasons.push(`vip_not_escalated:${notIssue}`);
	if (policy.escalation.escalateUrgent && priority === 'urgent') escalationReasons.push('priority_urgent');
	if (policy.escalation.escalateThreatening && threatening) escalationReasons.push('threatening_language');
	if (bigOrder) escalationReasons.push(`order_value_over_${orderValueLimit}`);
	const escalate = escalationReasons.length > 0;
	reasons.push(escalate ? `escalate:${escalationReasons.join('+')}` : 'queue:no_escalation_rule_met');

	const issueType = ISSUE_BY_INTENT[intent];
	// the rules' refund cue counts only when the rules read the ticket (the model's path reads no intent cues)
	const asksRefund = intent === 'refund_request' || reading.secondaryIntent === 'refund_request' || signals.intents.some((match) => match.intent === 'refund_request' && match.score >= MIN_INTENT_SCORE);
	const resolutionType: ResolutionType = asksRefund ? 'refund' : (RESOLUTION_BY_INTENT[intent] ?? 'information');
	if (asksRefund && intent !== 'refund_request') reasons.push('resolution_refund:customer_asked_for_refund');
	const followUp: FollowUp =
		escalate || priorityRank(priority) >= priorityRank('high') || resolutionType !== 'information' || sentiment.label === 'negative'
			? 'required'
			: 'optional';

	const interactionType: InteractionType = escalate
		? 'escalation'
		: intent === 'praise' || intent === 'feedback'
			? 'feedback_analysis'
			: 'support_ticket';

	const start = ticket.createdAt ?? now;
	if (!ticket.createdAt) reasons.push('sla_clock_from_now:no_created_time');
	const firstResponse = firstResponseTarget(policy.firstResponse, ticket, intent, tier, priority);
	reasons.push(firstResponse.reason);
	const resolutionHours = tier === 'vip'
		? Math.min(policy.resolutionHours[priority], policy.resolutionHours.vip)
		: policy.resolutionHours[priority];
	const due = (minutes: number) =>
		policy.businessHours ? addBusinessMinutes(start, minutes, policy.businessHours) : addMinutes(start, minutes);
	const firstResponseDueAt = due(firstResponse.minutes);
	const resolutionDueAt = due(resolutionHours * 60);
	// waiting on the customer pauses the resolution clock: the time waited moves the due time on, and a waiting
	// ticket is not overdue for its resolution
	const resolutionPaused = ticket.status === 'pending' || ticket.status === 'on_hold' || !!ticket.pausedSince;
	const resolutionDueNow = dueAfterPauses(resolutionDueAt, ticket.pausedSeconds, ticket.pausedSince, now, policy.businessHours);
	const pausedSeconds = Math.round((resolutionDueNow.getTime() - resolutionDueAt.getTime()) / 1000);
	if (resolutionPaused) reasons.push('resolution_clock_paused:waiting_on_customer');

	const tags = [
		`intent:${intent}`,
		...(reading.secondaryIntent ? [`intent:${reading.secondaryIntent}`] : []),
		...(confidence === 'low' ? ['low_confidence'] : []),
		...(reading.language && reading.language !== 'en' ? [`language:${reading.language}`] : []),
		`channel:${ticket.channel}`,
		`tier:${tier}`,
		`priority:${priority}`,
		`sentiment:${sentiment.label}`,
		...(threatening ? ['threatening'] : []),
		...(urgent ? ['urgent'] : []),
		...(escalate ? ['escalate'] : []),
	];

	const customerId = ticket.customerId ?? profile?.customerId ?? ticket.customerEmail ?? '';
	const request: DirectorRequest = {
		trigger_source: ticket.triggerSource ?? 'cx_ticket_triage',
		interaction_type: interactionType,
		customer_details: { customer_id: customerId, tier, issue_type: issueType, sentiment: sentiment.label },
		action_parameters: { priority, resolution_type: resolutionType, follow_up: followUp },
	};

	const summary =
		`${priority[0].toUpperCase()}${priority.slice(1)} priority ${intent === 'general' ? 'general ticket (no clear intent)' : intent.replace(/_/g, ' ')}` +
		` from a ${tier} customer on ${ticket.channel}, sentiment ${sentiment.label}` +
		`${threatening ? `, threatening (${threats.join(', ')})` : ''}` +
		`${escalate ? `; escalate: ${escalationReasons.join(', ').replace(/_/g, ' ')}` : '; queue'}` +
		// read by people (the escalation email quotes it): the time as a person writes it, in the store's business-hours zone
		`; first response due ${formatInstant(firstResponseDueAt, policy.businessHours?.timeZone ?? 'UTC')}.`;

	return {
		request,
		triage: {
			ticketId: ticket.ticketId,
			channel: ticket.channel,
			intent,
			confidence,
			secondaryIntent: reading.secondaryIntent,
			classifier: model ? 'learned' : 'rules',
			...(reading.language ? { language: reading.language } : {}),
			intents: reading.intents,
			sentiment,
			flags: { threatening, urgent, threats, urgency: signals.urgency },
			tier,
			tierSource,
			priority,
			escalate,
			escalationReasons,
			tags,
			sla: {
				firstResponseMinutes: firstResponse.minutes,
				firstResponseDueAt: isoTime(firstResponseDueAt),
				resolutionHours,
				resolutionDueAt: isoTime(resolutionDueAt),
				clock: policy.businessHours ? 'business_hours' : 'calendar',
				...(policy.businessHours ? { timeZone: policy.businessHours.timeZone } : {}),
				...(policy.businessHours?.holidays?.length ? { holidays: [...policy.businessHours.holidays] } : {}),
				// a target is met up to and including its due time
				firstResponseOverdue: now.getTime() > firstResponseDueAt.getTime(),
				resolutionOverdue: !resolutionPaused && now.getTime() > resolutionDueNow.getTime(),
				resolutionPaused,
				pausedSeconds,
				resolutionDueAfterWaitAt: isoTime(resolutionDueNow),
			},
			...(profile
				? {
						customer: {
							lifetimeSpend: formatMoney(profile.lifetimeSpend),
							orderCount: profile.orderCount,
							tags: profile.tags,
							...(profile.latestOrder ? { latestOrder: profile.latestOrder } : {}),
						},
					}
				: {}),
			reasons,
			summary,
		},
	};
}
