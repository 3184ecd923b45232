#!/usr/bin/env node
/******/ var __webpack_modules__ = ({

/***/ 827:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(340);

process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .main */ .i)(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 340:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

;// CONCATENATED MODULE: ./src/errors.ts
class ModguardError extends Error {
    code;
    kind;
    constructor(code, kind, message, options) {
        super(message, options);
        this.name = new.target.name;
        this.code = code;
        this.kind = kind;
    }
}
/** UsageError reports a command called wrong: unknown flag, missing argument, bad value. */
class UsageError extends ModguardError {
    constructor(message) {
        super('USAGE', 'usage', message);
    }
}
/** errorMessage renders anything thrown as one line, for reports and stderr. */
function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return `non-Error thrown: ${String(err)}`;
}

;// CONCATENATED MODULE: ./src/cli/io.ts
/** Exit statuses shared by every command. */
const Exit = {
    ok: 0,
    /** a refused input, a failed verification, or findings at or above --fail-on */
    failed: 1,
    /** bad usage or an internal error */
    usage: 2,
};

;// CONCATENATED MODULE: ./src/cli/commands/pending.ts

/** pending names a command that is planned but not built yet; it refuses to run. */
function pending(name, summary, issue) {
    return {
        name,
        summary: `${summary} (not built yet: issue ${issue})`,
        usage: `modguard ${name} ...`,
        run: async (_args, io) => {
            io.stderr.write(`modguard ${name}: not built yet (tracked in issue ${issue})\n`);
            return Exit.usage;
        },
    };
}

;// CONCATENATED MODULE: ./src/cli/commands/check.ts

const checkCommand = pending('check', 'cross-verify go.sum against proxies, the sumdb and git', 6);

;// CONCATENATED MODULE: ./src/cli/commands/demo.ts

const demoCommand = pending('demo', 'run the check on the built-in local module world', 6);

;// CONCATENATED MODULE: ./src/cli/commands/hash.ts

const hashCommand = pending('hash', 'compute go.sum hashes of a zip, a directory or a git tag', 3);

;// CONCATENATED MODULE: ./src/cli/commands/proof.ts

const proofCommand = pending('proof', 'verify a tlog inclusion proof offline', 4);

;// CONCATENATED MODULE: ./src/cli/commands/proxy.ts

const proxyCommand = pending('proxy', 'fetch a module through a GOPROXY chain', 5);

;// CONCATENATED MODULE: ./src/cli/commands/sumdb.ts

const sumdbCommand = pending('sumdb', 'look up and verify records in a checksum database', 4);

;// CONCATENATED MODULE: ./src/cli/commands/index.ts






/** commands lists every modguard subcommand, in the order help shows them. */
const commands = [
    checkCommand,
    demoCommand,
    hashCommand,
    sumdbCommand,
    proofCommand,
    proxyCommand,
];

;// CONCATENATED MODULE: ./src/cli/main.ts



const version = '0.1.0';
function helpText() {
    const width = Math.max(...commands.map((c) => c.name.length));
    const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
    return [
        'modguard: a supply-chain check for Go modules',
        '',
        'usage: modguard <command> [arguments]',
        '',
        'commands:',
        ...lines,
        '',
        'Run "modguard <command> --help" for a command\'s usage.',
        '',
    ].join('\n');
}
/**
 * main runs one modguard command line and returns its exit status: 0 ok, 1 refused
 * or failed verification, 2 bad usage or internal error. Errors go to stderr only.
 */
async function main(argv, io) {
    const [name, ...rest] = argv;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
        (name === undefined ? io.stderr : io.stdout).write(helpText());
        return name === undefined ? Exit.usage : Exit.ok;
    }
    if (name === 'version' || name === '--version') {
        io.stdout.write(`modguard ${version}\n`);
        return Exit.ok;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
        io.stderr.write(`modguard: unknown command "${name}"\n\n${helpText()}`);
        return Exit.usage;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout.write(`usage: ${command.usage}\n`);
        return Exit.ok;
    }
    try {
        return await command.run(rest, io);
    }
    catch (err) {
        io.stderr.write(`modguard ${name}: ${errorMessage(err)}\n`);
        if (err instanceof UsageError) {
            io.stderr.write(`usage: ${command.usage}\n`);
            return Exit.usage;
        }
        if (err instanceof ModguardError && err.kind !== 'usage')
            return Exit.failed;
        return Exit.usage;
    }
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(827);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
