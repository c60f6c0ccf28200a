// Simulated Stratum V1 pool and miners (real hashing, faults, load mode) for tests and benchmarks.
//
// Pool — SimPool.start({algorithm, difficulty, extranonce1Bytes=4, extranonce2Size=8, versionMask=1fffe000,
//   extranonceSubscribe, jobIntervalMs, cleanEvery, merkleBranchCount, authorize, recordShares, tls})
//   .port .url .handle(duplex); control: pushJob({clean}), setDifficulty(d, connId?), setExtranonce({connectionId,
//   extranonce2Size}), setVersionMask(mask), broadcast(line); faults: dropConnections(n), stall()/resume(),
//   sendGarbage(), refuseConnections(on), setAcceptDelay(ms); books: stats() (per worker and per code),
//   shares (every verdict: job seq, extranonce1/2, difficulty in force, hash difficulty), jobsSent (send times;
//   the newest 100 without recordShares), per connection methodsSeen (each method once);
//   events 'connection', 'share', 'close'. SIM_DIFFICULTY (real hashing in ms), SIM_LOAD_DIFFICULTY (any nonce).
//   Jobs tag coinb2 with the pool id and seq: simJobOrigin(coinb2) names the pool job behind any relay.
// Miner — SimMiner.start({host, port, username, password, algorithm, profile, maxShares, shareIntervalMs, tls,
//   dial, keepRecords}) with MINER_PROFILES cpuminer | cpuminer-opt | cgminer | bitaxe | antminer | nerdminer;
//   records shares (with the answer and poolJob = {poolId, seq}), jobs (difficulty in force), messages, reconnects, badLines (all
//   of them, or the newest keepRecords of each); accepted, rejected, submitted count the whole run.
// Load — LoadMiners.start({host, port, miners, algorithm, sharesPerSecond, hash}) → stats() (submit latency
//   percentiles), jobArrivals() (per pool job), resetMeasurements(), stop(); load-cli.ts and pool-cli.ts run
//   the load generator and the pool as separate processes (JSON lines on stdout).
// Helpers — RawStratumClient (any bytes, every message), memoryDuplexPair(), waitFor(), TEST_TLS_KEY/CERT.

export * from '../wait-for.ts';
export * from './clock.ts';
export * from './load-connection.ts';
export * from './load-miners.ts';
export * from './memory-duplex.ts';
export * from './miner-profiles.ts';
export * from './miner-work.ts';
export * from './pending-requests.ts';
export * from './pool-connection.ts';
export * from './pool-ledger.ts';
export * from './raw-client.ts';
export * from './sample-recorder.ts';
export * from './sim-job.ts';
export * from './sim-miner.ts';
export * from './sim-miner-types.ts';
export * from './sim-pool.ts';
export * from './sim-share-check.ts';
export * from './test-tls.ts';
