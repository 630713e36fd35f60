import { ScenarioFileError } from '../../scenarios/errors.ts';
import { parseScenario } from '../../scenarios/load.ts';

/** A scenario file's required head, with an empty `steps:` to append to. */
export const STEPS_HEAD = 'name: x\ndescription: shows x\nreproduces: nowhere\nsteps:\n';

/** The ScenarioFileError a scenario text (as `bad.yaml`) raises; fails the test when it parses. */
export function scenarioError(text: string): ScenarioFileError {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    if (e instanceof ScenarioFileError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioFileError');
}

/** The one-line message for these steps under STEPS_HEAD. */
export const stepsError = (steps: string): string => scenarioError(STEPS_HEAD + steps).message;
