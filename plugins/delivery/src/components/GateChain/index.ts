export { GateChain, CompactGateChain } from './GateChain';
export { GateStatusIcon } from './GateStatusIcon';
export { gateStatusLabel, runAsGateStatus, runStatusLabel } from './gateStatus';
