// Where the files that are not code live (views/, public/, locale JSON), from src/ and from the compiled dist/src/ alike.
import { fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);
/** The project directory: the parent of src/, or of dist/ when running the build. */
export const projectRoot = fileURLToPath(new URL(/\/dist\/src\/$/.test(here.pathname) ? '../../' : '../', here));

/** A path under the project directory; `rel` ends with `/` for a directory. */
export const projectPath = (rel: string): string => `${projectRoot}${rel}`;
