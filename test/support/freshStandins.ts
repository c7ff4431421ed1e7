/**
 * Run before every integration and end-to-end test file (jest.config.js, setupFilesAfterEnv): the file starts
 * from the stand-ins' known state, never from rows or emails another file left behind.
 */
import { resetStandins } from './context';

beforeAll(async () => {
	await resetStandins();
}, 60_000);
