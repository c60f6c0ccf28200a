// The API's answers as the dashboard reads them: the contract's types (type-only imports, nothing bundled).

import type { ProfileDefinitionInput, QueryOf, ResponseOf } from '@smart-mining/api-contract';

export type IsoDate = string;

export type Coin = ResponseOf<'coins'>['coins'][number];
/** One field's provenance in `Coin.sources` (the contract keeps it open): every source's value, the consensus, and the sources left out with why. */
export interface FieldProvenance {
  value?: number;
  trusted?: boolean;
  from?: Record<string, number>;
  rejected?: Record<string, unknown>;
  /** usdPerHsDay: how it was computed and the sources' own estimates. */
  method?: string;
  estimates?: Record<string, number>;
}
export type Pool = ResponseOf<'pools'>['pools'][number];
export type Hardware = ResponseOf<'hardwareList'>['hardware'][number];
export type HardwareMining = Hardware['mining'][number];
export type Ranking = ResponseOf<'ranking'>;
export type RankingEntry = Ranking['ranking'][number];
export type Decision = ResponseOf<'decision'>;
export type RankedTarget = Decision['ranked'][number];
export type History = ResponseOf<'coinHistory'> | ResponseOf<'poolHistory'>;
export type HistoryPoint = History['points'][number];
export type Backtest = ResponseOf<'backtest'>;
export type BacktestStep = Backtest['timeline'][number];
export type Profile = ResponseOf<'profile'>;
export type ProfileDefinition = ProfileDefinitionInput;
export type Sources = ResponseOf<'sources'>;
export type SourceStatus = Sources['sources'][number];

export type MinerStats = ResponseOf<'miners'>['miners'][number];
export type SwitchLogEntry = ResponseOf<'switches'>['switches'][number];
export type SwitchMethod = SwitchLogEntry['method'];
export type DecisionInputs = SwitchLogEntry['inputs'];
export type SwitchesQuery = QueryOf<'switches'>;
export type MinersQuery = QueryOf<'miners'>;

export type CoinMeasure = 'priceUsd' | 'usdPerHsDay' | 'difficulty' | 'networkHashrateHs' | 'volume24hUsd';
export type PoolMeasure = 'hashrateHs' | 'miners' | 'workers' | 'usdPerHsDay' | 'feeFraction';
