export { ensureSampleDatabase, SAMPLE_FILE_NAME, type SampleDatabase } from './ensure-sample';
export { SAMPLE_FORMULAS } from './formulas';
export { SAMPLE_TABLE } from './generate-orders';
