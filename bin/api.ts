/** `npm run api`: an API process only (distributed mode: workers run elsewhere). */
import { runProcess } from './run-process';

runProcess({ api: true, workers: false });
