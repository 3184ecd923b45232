import type { Severity } from './findings.js';

/**
 * FindingCode is a stable finding id (docs/findings.md). Codes never change meaning
 * once released; users write policies and suppressions against them. Groups:
 * MG1xx go.sum content against the witnesses, MG2xx a witness could not answer,
 * MG3xx checksum database integrity, MG4xx go.sum/go.mod hygiene, MG5xx
 * configuration, MG6xx retractions, MG7xx the git tag.
 */
export type FindingCode =
  | 'MG101'
  | 'MG102'
  | 'MG103'
  | 'MG104'
  | 'MG105'
  | 'MG201'
  | 'MG202'
  | 'MG203'
  | 'MG204'
  | 'MG205'
  | 'MG206'
  | 'MG301'
  | 'MG302'
  | 'MG303'
  | 'MG305'
  | 'MG401'
  | 'MG402'
  | 'MG403'
  | 'MG404'
  | 'MG405'
  | 'MG406'
  | 'MG501'
  | 'MG502'
  | 'MG503'
  | 'MG504'
  | 'MG505'
  | 'MG506'
  | 'MG507'
  | 'MG601'
  | 'MG701'
  | 'MG702'
  | 'MG703'
  | 'MG704'
  | 'MG705';

/**
 * CodeInfo is the catalogue entry for one code. `name` is a PascalCase rule name
 * (SARIF `reportingDescriptor.name`); `summary` and `description` have no
 * placeholders; `title` and `remedy` are templates over {module} {version} {kind}
 * {witness} {file} {sum} (see fillTemplate): a title or remedy names the go.sum file
 * as {sum}, the file the line is in (go.sum, go.work.sum, a workspace module's go.sum).
 */
export interface CodeInfo {
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  readonly title: string;
  readonly remedy: string;
  /**
   * localRemedy, for a code a failure on this machine can raise, replaces `remedy` when
   * the failure is that (WitnessError.local: a cache or temporary file that could not
   * be read, written or locked), so that the user is not sent to the network
   */
  readonly localRemedy?: string;
}

const AT = '{module}@{version} ({kind})';

/** CATALOGUE is every finding code with its default severity, wording and remedy. */
export const CATALOGUE: Readonly<Record<FindingCode, CodeInfo>> = {
  MG101: {
    name: 'GoSumDiffersFromEveryWitness',
    severity: 'error',
    summary: 'go.sum differs from every witness, and the witnesses agree',
    description:
      'Every witness that answered computed the same hash, and go.sum records another: go.sum was edited by hand or came from a different source than everyone else uses.',
    title: `{sum} differs from every witness for ${AT}`,
    remedy:
      'Do not trust the {sum} line. Find out where it came from (git log -p {sum}), then remove it and run `go mod download {module}@{version}` with the default GOPROXY and GOSUMDB to record the hash everyone else gets.',
  },
  MG102: {
    name: 'ProxyServesDifferentCopy',
    severity: 'error',
    summary: 'one proxy serves a copy that differs from go.sum and the other witnesses',
    description:
      'go.sum agrees with the checksum database and the other proxy, but this proxy serves different bytes: it holds a tampered or stale copy.',
    title: `{witness} serves a different copy of ${AT}`,
    remedy:
      'Stop using {witness} until its operator explains the difference; report it to them with the evidence. The {sum} line itself agrees with the checksum database.',
  },
  MG103: {
    name: 'SumdbDiffersFromProxies',
    severity: 'error',
    summary: 'the checksum database differs from go.sum and the proxies',
    description:
      'go.sum and every proxy agree, but the signed checksum database records another hash: either the database misbehaves or every proxy and go.sum were fed the same substituted copy.',
    title: `the checksum database differs from {sum} and the proxies for ${AT}`,
    remedy:
      'Treat {module}@{version} as compromised until explained. Compare with a second network location and report the evidence to the module author and the checksum database operator.',
  },
  MG104: {
    name: 'GoSumDiffersFromSumdb',
    severity: 'error',
    summary: 'go.sum differs from the checksum database',
    description:
      'The checksum database records another hash than go.sum; only some proxies agree with go.sum: go.sum was probably recorded from a proxy that serves a substituted copy.',
    title: `{sum} differs from the checksum database for ${AT}`,
    remedy:
      'Remove the {sum} line for {module}@{version}, run `go mod download` with a trusted GOPROXY and GOSUMDB, and stop using the proxies that agree with the old line.',
  },
  MG105: {
    name: 'WitnessesDisagree',
    severity: 'error',
    summary: 'the witnesses disagree with go.sum and with each other',
    description:
      'No single explanation fits: the witnesses computed different hashes and go.sum matches none of them, or matches only some of them without the checksum database to decide.',
    title: `the witnesses disagree about ${AT}`,
    remedy:
      'Read the evidence table: each witness and its hash. Do not use {module}@{version} until the difference is explained.',
  },
  MG201: {
    name: 'WitnessUnavailable',
    severity: 'warning',
    summary: 'a witness could not answer; the line is inconclusive',
    description:
      'A witness timed out, answered with a server error, an HTML page or another failure, so the line could not be verified. modguard fails closed: the line is inconclusive, never verified.',
    title: `{witness} could not answer for ${AT}`,
    remedy:
      'Run the check again; if {witness} keeps failing, check its URL and your network, or configure another witness.',
    localRemedy:
      'The failure is on this machine, not at {witness}: check the file the detail names and its folder (permissions, free disk space, a file where a folder should be, a lock left by a modguard no longer running), then run the check again. The cache can be moved with --cache-dir or left out with --no-cache; temporary files go where $TMPDIR says.',
  },
  MG202: {
    name: 'WitnessAnswerUnusable',
    severity: 'warning',
    summary: 'a witness answered with data that could not be used; the line is inconclusive',
    description:
      'A witness answered, but with something malformed (a zip that is not a valid module zip, a record that does not parse or has no line for this version). The line is inconclusive.',
    title: `{witness} gave an unusable answer for ${AT}`,
    remedy:
      'Look at the error in the evidence; report a malformed answer to the operator of {witness}.',
  },
  MG203: {
    name: 'NotFoundInProxy',
    severity: 'warning',
    summary: 'a proxy does not have the version (404 or 410)',
    description:
      'The proxy answered 404 or 410: it does not serve this version (never fetched, removed, or a private module it cannot reach). The line is inconclusive for this witness.',
    title: `{module}@{version} not found in {witness}`,
    remedy:
      'If the module is private, list it in GOPRIVATE (or GONOPROXY) so public proxies are not asked. Otherwise check the version exists upstream.',
  },
  MG204: {
    name: 'NotFoundInSumdb',
    severity: 'warning',
    summary: 'the checksum database does not have the version',
    description:
      'The checksum database answered not found (404/410). For a private module this means GONOSUMDB or GOPRIVATE does not cover it: the go command would fail with "verifying … 410 Gone" and leak the module path.',
    title: `{module}@{version} not found in the checksum database`,
    remedy:
      'If {module} is private, add it (or a prefix pattern) to GOPRIVATE, or to GONOSUMDB. Otherwise the version may not exist publicly: check where {sum} got it.',
  },
  MG205: {
    name: 'NoWitness',
    severity: 'warning',
    summary: 'no witness applies to the line; it cannot be verified',
    description:
      'No witness was configured or applicable for this line (for example every proxy and the checksum database are disabled), so nothing could confirm it.',
    title: `nothing could check ${AT}`,
    remedy:
      'Configure at least one proxy and the checksum database, or mark the module private (GOPRIVATE) to skip it on purpose.',
  },
  MG206: {
    name: 'SumdbStoredHeadInvalid',
    severity: 'warning',
    summary: "modguard's stored tree head of the checksum database does not verify",
    description:
      'modguard keeps the newest tree head the checksum database signed, to detect a log that forks or rolls back. The stored one does not verify with the configured key (a bad signature, another key of the same name, a damaged file), so, as the go command does, nothing is looked up in the database until it is fixed, and the file is left as it is. The line is inconclusive.',
    title: `the stored tree head of {witness} does not verify; ${AT} was not looked up`,
    remedy:
      'Inspect the file the evidence names: was it edited, or written with another key of the same name (a changed GOSUMDB)? Removing it makes modguard trust the current tree head of {witness}, and discards its record of the tree it saw before.',
  },
  MG301: {
    name: 'SumdbSignatureInvalid',
    severity: 'error',
    summary: "the checksum database's signed tree head does not verify",
    description:
      "The tree head is not signed by the configured checksum database key (a bad signature, or only unknown keys). Its records can't be trusted.",
    title: `the checksum database signature does not verify (while checking {module}@{version})`,
    remedy:
      'Check GOSUMDB names the right key. If it does, someone between you and the database altered its answer: stop and investigate.',
  },
  MG302: {
    name: 'SumdbProofFailed',
    severity: 'error',
    summary: 'a checksum database record is not proven by the signed tree',
    description:
      'The Merkle inclusion proof (RFC 6962) or a tile does not match the signed tree head: the database served a record or tile that is not in the tree it signed.',
    title: `the checksum database record for {module}@{version} is not in its signed tree`,
    remedy: 'Treat the database answer as forged. Report the evidence to the operator.',
  },
  MG303: {
    name: 'SumdbForked',
    severity: 'error',
    summary: 'the checksum database log forked or was rolled back to another history',
    description:
      'Two signed tree heads cannot both be true: one tree does not contain the other that modguard kept from an earlier run. The database showed different histories to different clients, or rolled back to a history that is not a prefix of the one seen before. (A smaller tree that is a prefix of the stored one is accepted, as the go command accepts it: it proves nothing false.)',
    title: 'the checksum database log forked (seen while checking {module}@{version})',
    remedy:
      'Keep both tree heads (they are the proof) and report them to the operator; do not trust new records until resolved.',
  },
  MG305: {
    name: 'SumdbVerificationFailed',
    severity: 'error',
    summary: "the checksum database's evidence failed verification",
    description:
      'A checksum database answer failed a verification step other than signature, proof or fork.',
    title: `the checksum database answer for {module}@{version} failed verification`,
    remedy: 'Read the error in the evidence and report it to the operator.',
  },
  MG401: {
    name: 'DuplicateGoSumLine',
    severity: 'notice',
    summary: 'a go.sum line appears more than once',
    description:
      'The same line (module, version, hash) appears twice. Harmless to the go command, but a sign of a hand merge.',
    title: `duplicate {sum} line for ${AT}`,
    remedy: 'Remove the duplicate line, or run `go mod tidy`.',
  },
  MG402: {
    name: 'ConflictingGoSumLines',
    severity: 'error',
    summary: 'go.sum records two different hashes for the same module version',
    description:
      'Two go.sum lines for the same module, version and kind carry different hashes. At most one can be right; the go command reports a checksum mismatch for the other.',
    title: `conflicting {sum} lines for ${AT}`,
    remedy:
      'Keep only the line the witnesses agree with (see the line findings), or delete both and run `go mod download {module}@{version}`.',
  },
  MG403: {
    name: 'MissingGoSumLine',
    severity: 'warning',
    summary: 'go.mod requires a module version that go.sum has no line for',
    description:
      'go.mod requires this module version, but go.sum has no `/go.mod` line for it: the go command will fail with "missing go.sum entry", or record whatever it downloads next.',
    title: `{sum} has no line for ${AT}`,
    remedy: 'Run `go mod tidy` (or `go mod download {module}`) and review the lines it adds.',
  },
  MG404: {
    name: 'UnneededGoSumLine',
    severity: 'notice',
    summary: 'a go.sum line is no longer needed',
    description:
      'go.mod now requires another version of this module, so the zip hash of this version is no longer used by the build.',
    title: `{sum} line for ${AT} is no longer needed`,
    remedy: 'Run `go mod tidy` to drop lines the build no longer uses.',
  },
  MG405: {
    name: 'MalformedGoSumLine',
    severity: 'error',
    summary: 'a go.sum line is malformed',
    description:
      'A go.sum line does not have the form `module version[/go.mod] h1:hash` with a valid module path, a canonical version and a 32-byte base64 hash. The go command does not report it: it stops reading go.sum at a line without three fields (every module after it looks missing) and never matches a malformed three-field line; modguard reports the line and checks the rest.',
    title: 'malformed {sum} line',
    remedy: 'Fix or delete the line, then run `go mod tidy` and review what it records.',
  },
  MG406: {
    name: 'MalformedGoMod',
    severity: 'error',
    summary: 'go.mod does not parse',
    description:
      'go.mod has a syntax error, so modguard cannot tell which module versions it requires: the go.sum/go.mod consistency and retraction checks were not run for it.',
    title: '{file} does not parse',
    remedy: 'Fix the line named in the detail; `go mod edit -fmt` shows the same error.',
  },
  MG501: {
    name: 'SumdbDisabled',
    severity: 'warning',
    summary: 'GOSUMDB=off disables the checksum database',
    description:
      'With GOSUMDB=off the go command trusts whatever the proxy serves for modules not yet in go.sum.',
    title: 'GOSUMDB=off disables the checksum database',
    remedy: 'Unset GOSUMDB; use GOPRIVATE or GONOSUMDB for private modules instead.',
  },
  MG502: {
    name: 'NoSumdbWiderThanPrivate',
    severity: 'warning',
    summary: 'GONOSUMDB skips the checksum database for a module that is not private',
    description:
      'GONOSUMDB matches a module that GOPRIVATE does not: a public module is never checked against the checksum database.',
    title: 'GONOSUMDB skips the checksum database for {module}, which GOPRIVATE does not cover',
    remedy:
      'Narrow GONOSUMDB to your private module prefixes, or leave it unset so it follows GOPRIVATE.',
  },
  MG503: {
    name: 'PrivateNotExcludedFromSumdb',
    severity: 'warning',
    summary: 'GOPRIVATE covers a module that GONOSUMDB does not exclude',
    description:
      'GONOSUMDB is set and narrower than GOPRIVATE: a private module path is sent to the public checksum database, which leaks the name and fails with not found.',
    title: '{module} is private (GOPRIVATE) but not excluded by GONOSUMDB',
    remedy: 'Add the pattern to GONOSUMDB, or unset GONOSUMDB so it follows GOPRIVATE.',
  },
  MG504: {
    name: 'GoflagsInsecure',
    severity: 'warning',
    summary: 'GOFLAGS asks for -insecure',
    description:
      'GOFLAGS contains -insecure, which once allowed fetching over plain HTTP and skipping TLS checks. Newer Go versions removed the flag; its presence shows an intent to weaken checking.',
    title: 'GOFLAGS contains -insecure',
    remedy: 'Remove -insecure from GOFLAGS; use GOINSECURE for one host if you really must.',
  },
  MG505: {
    name: 'GoInsecureSet',
    severity: 'warning',
    summary: 'GOINSECURE allows plain-HTTP, unverified-TLS direct fetches',
    description:
      'GOINSECURE lets the go command fetch matching modules directly over plain HTTP or without TLS verification (proxies and the checksum database are not affected).',
    title: 'GOINSECURE is set',
    remedy:
      'Unset GOINSECURE, or narrow it to one internal host; the checksum database still protects public modules.',
  },
  MG506: {
    name: 'PlainHttpSource',
    severity: 'warning',
    summary: 'a proxy or checksum database URL uses plain HTTP',
    description:
      "A GOPROXY entry or the GOSUMDB URL, or a proxy or checksum database URL modguard itself reads (--proxy, --sumdb, or the --config file), uses http:// to a host that is not loopback: anyone on the path can change what is served, and answer for that witness (the checksum database's signatures still protect its records).",
    title: 'plain-http source {witness}',
    remedy:
      'Use https:// for every GOPROXY entry, the GOSUMDB URL, and every --proxy and --sumdb URL (flags or --config file).',
  },
  MG507: {
    name: 'NoSumdbWitness',
    severity: 'warning',
    summary: 'modguard asked no checksum database',
    description:
      'modguard was told not to ask a checksum database (--sumdb off, or "sumdb": "off" in --config): its verdicts rest on the proxies alone, and two proxies fed by one poisoned upstream agree with each other.',
    title: 'modguard asked no checksum database',
    remedy:
      'Drop --sumdb off (or "sumdb": "off" from the config file); give --sumdb a database the proxies cannot forge.',
  },
  MG601: {
    name: 'RetractedVersion',
    severity: 'warning',
    summary: 'the required version is retracted by its author',
    description:
      "The module's latest go.mod retracts this version (go.dev/ref/mod#go-mod-file-retract): its author says it should not be used.",
    title: `{module}@{version} is retracted`,
    remedy: 'Upgrade to a version that is not retracted: `go get {module}@latest`.',
  },
  MG701: {
    name: 'TagDiffersFromSumdb',
    severity: 'warning',
    summary: "the git tag's content differs from the checksum database",
    description:
      'The module zip built from the git tag differs from what the checksum database recorded at first publication: the tag was moved (retagged) after publication, or the tree depends on git settings (LFS, CRLF).',
    title: `the git tag for {module}@{version} differs from what was published`,
    remedy:
      'Ask the module author why the tag moved; keep the {sum} line that matches the checksum database.',
  },
  MG702: {
    name: 'TagNotFound',
    severity: 'warning',
    summary: 'the git repository has no tag for the version',
    description:
      'The repository answered, but the tag for this version does not exist (deleted, never pushed, or a pseudo-version whose revision is gone). The line is inconclusive for this witness.',
    title: `no git tag for {module}@{version}`,
    remedy:
      'Check the repository; a deleted tag on a published version deserves a question to the author.',
  },
  MG703: {
    name: 'TagSignatureInvalid',
    severity: 'error',
    summary: "the git tag's signature does not verify",
    description:
      'The tag is signed, but `git verify-tag` rejects the signature: the tag object was altered or signed by another key.',
    title: `the git tag for {module}@{version} has a bad signature`,
    remedy: 'Do not trust the tag; report it to the module author.',
  },
  MG704: {
    name: 'TagUnsigned',
    severity: 'notice',
    summary: 'the git tag is not signed',
    description: 'The tag carries no signature, so only its content can be compared.',
    title: `the git tag for {module}@{version} is not signed`,
    remedy: 'Nothing to do; ask the author to sign release tags if you rely on them.',
  },
  MG705: {
    name: 'TagSignerUntrusted',
    severity: 'notice',
    summary: 'the git tag is signed by a key not trusted here',
    description:
      'The tag carries a GPG or SSH signature, but git verify-tag could not check it: the public key is not in the keyring, or the SSH key is not in the allowed-signers file. The content comparison still counts.',
    title: `the git tag for {module}@{version} is signed by an untrusted key`,
    remedy:
      "Import the author's public key (gpg --import) or add it to gpg.ssh.allowedSignersFile, then run the check again.",
  },
};

/** FINDING_CODES lists every code in catalogue order. */
export const FINDING_CODES: readonly FindingCode[] = Object.keys(CATALOGUE) as FindingCode[];
