/** `npm run worker`: a worker process only, working the queues named in WORKER_QUEUES. */
import { runProcess } from './run-process';

runProcess({ api: false, workers: true });
