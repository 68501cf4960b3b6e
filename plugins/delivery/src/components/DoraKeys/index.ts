export { DoraKeysPanel } from './DoraKeysPanel';
export { LevelChip } from './LevelChip';
