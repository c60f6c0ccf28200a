// @smart-mining/stratum — the Stratum protocol as a pure library: bytes in, typed messages out, and back.
//
// No sockets and no I/O (JS SHA-256 and node:crypto for hashing, Buffer for bytes); imports nothing from the repo.
// A session owns its socket and feeds this library; see each module's header for its rules.
//
// Typical read path of a session:  LineFramer → parseMessage → decodeV1Call → switch (call.method);
// library errors are StratumError (SM_STRATUM_*); answer a request with encodeError(id, wireErrorFor(e)).
//
// Framing — line-framer.ts
//   LineFramer(maxLineBytes, sink).push(chunk)   sink.onLine(line) / sink.onLineError(SM_STRATUM_LINE_TOO_LONG)
//     no buffer between lines; a partial line is copied out; an oversized line is reported once and dropped
//     to its `\n`; `\r\n` tolerated; blank lines skipped. Suggested caps: miners 16 KiB, pools 64 KiB (§1).
//
// Messages — json-rpc.ts
//   parseMessage(line) → RpcMessage: request | notification | response | error (ids kept as sent: number,
//     string or null; both error styles → RpcError {code, message, data}; NiceHash NULL read as null);
//     RpcCall = the request | notification members
//   encodeResult(id, result) (always "error": null), encodeError(id, rpcError), encodeRequest, encodeNotification
//
// Stratum V1 codec — v1/
//   V1_METHODS: the dispatch table (lowercase method → sender, answer expected, spec clause, params parser)
//   decodeV1Call(rpcCall, 'miner' | 'pool') → V1Call, typed per method (switch on call.method);
//     unknown or misdirected → {method: 'unknown', name}; v1MethodRule(name) for the table entry
//   params: SubscribeParams, AuthorizeParams, SubmitParams, SuggestDifficultyParams, NotifyParams,
//     SetDifficultyParams, SetExtranonceParams, SetVersionMaskParams, ReconnectParams, ShowMessageParams
//   BIP 310: parseConfigureParams, answerConfigure (mask = server ∩ miner), parseConfigureResult, configureParams
//   results: parseSubscribeResult, sessionIdOf, subscribeResult, isAccepted, parseVersionResult
//   encode*: every line both ways (encodeSubscribe … encodeNotify … encodeReconnect, encodeAccepted,
//     encodeRejected, encodeUnknownMethod, encodeExtranonceNotSupported, encodePong)
//
// Errors — errors.ts
//   StratumError {code: SM_STRATUM_*} (STRATUM_ERROR_CODES); wire errors WIRE_ERRORS 20–25 and
//   wireError(name, message?) → RpcError; wireErrorFor(libraryError) → 20 with its message
//
// Difficulty — algorithms.ts, difficulty.ts
//   STRATUM_ALGORITHMS {sha256d, scrypt}: diff1 and PoW per algorithm name (add a family here)
//   targetFromDifficulty, difficultyFromTarget, hashesPerShare (exact bigint), targetFromBits,
//   targetToBytes / targetFromBytes (32 big-endian bytes, the form share checks compare against)
//
// Shares — block-header.ts, share-check.ts, pow.ts
//   prepareJob(notifyParams) once per job; checkShare({algorithm, job, extranonce1, extranonce2, ntime,
//   nonce, versionBits, versionMask, shareTarget, blockTarget}) → {hash, version, meetsShareTarget,
//   meetsBlockTarget}; checkShareOffThread (the same with scrypt's PoW on the thread pool; hashesOffThread
//   says which algorithms do that); versionBitsAllowed, rolledVersion, hashDifficulty, hashMeetsTarget;
//   buildHeader / coinbaseHash / merkleRoot / writeHeader for miners (…Into forms write to a buffer);
//   sha256d, scryptPow; PreparedJob.coinb1Midstate / branchWords spare each share the coinbase's first
//   blocks and the branch decoding
//
// SHA-256 — sha256.ts (+ generated sha256-rounds.ts): allocation-free JS SHA-256 for short messages, which
//   node:crypto serves at 1–2 µs a call: sha256Into / sha256dInto(data, start, end, out, outOffset),
//   sha256dPairInto / sha256d64Into (merkle node), digestWords + sha256dFoldInto (merkle fold in words),
//   sha256Midstate + sha256FromMidstateInto / sha256dFromMidstateInto
//
// Extranonce layout — extranonce-layout.ts (byte tables in its header)
//   splitLayout / splitMinerExtranonce1 / splitUpstreamExtranonce2   nonce splitting: E1' = E1 ‖ p_i
//   foldLayout / foldCoinb1 / foldUpstreamExtranonce2                constant E1' across pools
//   extranonceHex(slot, bytes)
//
// Hex — hex.ts: normalizeHex (lowercase, no 0x, length), normalizeUint32Hex (leading zeros optional), uint32FromHex,
//   uint32ToHex
// Endpoints — stratum-url.ts: parseStratumUrl('stratum+ssl://host:port') → {host, port, tls}, formatStratumUrl

export * from './algorithms.ts';
export * from './block-header.ts';
export * from './difficulty.ts';
export * from './errors.ts';
export * from './extranonce-layout.ts';
export * from './hex.ts';
export * from './json-rpc.ts';
export * from './line-framer.ts';
export * from './pow.ts';
export * from './sha256.ts';
export * from './share-check.ts';
export * from './stratum-url.ts';
export * from './v1/index.ts';
