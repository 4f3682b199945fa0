// Kept so that imports of './support/wait-for' under test/flows still resolve; new code imports
// test/support/wait-for directly.
export { waitFor } from '../../support/wait-for';
