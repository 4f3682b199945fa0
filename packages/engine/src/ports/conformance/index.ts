// Imported only from test files: it defines jest tests.
export { describeStoreConformance, type ConformanceSubject } from './describe-store-conformance';
