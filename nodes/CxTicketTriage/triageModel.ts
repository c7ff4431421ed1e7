/**
 * The learned triage model shipped with the pack (model/triage-model.json, written by scripts/train-triage.js and
 * compiled in as data), decoded once per process: every node that triages reads tickets the same way.
 */
import modelFile from './model/triage-model.json';
import { modelFromFile, type LearnedModel, type LearnedModelFile } from './learnedModel';

let decoded: LearnedModel | undefined;

export function triageModel(): LearnedModel {
	decoded ??= modelFromFile(modelFile as LearnedModelFile);
	return decoded;
}
