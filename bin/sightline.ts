/** `npm start`: the whole platform in one process (embedded default, no service needed). */
import { runProcess } from './run-process';

runProcess({ api: true, workers: true });
