#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 876:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ startCompileCache)
});

// UNUSED EXPORTS: compileCacheDir

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/errors.ts
class ModguardError extends Error {
    code;
    kind;
    local;
    constructor(code, kind, message, options) {
        super(message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
        this.name = new.target.name;
        this.code = code;
        this.kind = kind;
        this.local = options?.local;
    }
}
/** UsageError reports a command called wrong: unknown flag, missing argument, bad value. */
class UsageError extends ModguardError {
    constructor(message) {
        super('USAGE', 'usage', message);
    }
}
/**
 * InputError is an input file that cannot be used (unreadable, malformed, missing): exit
 * status 2 like a usage error, but the command line was right, so no usage is printed.
 */
class InputError extends ModguardError {
    constructor(message) {
        super('INPUT', 'usage', message);
    }
}
/** errorMessage renders anything thrown as one line, for reports and stderr. */
function errorMessage(err) {
    if (err instanceof Error)
        return err.message;
    return `non-Error thrown: ${String(err)}`;
}

;// CONCATENATED MODULE: ./src/cache/errors.ts

/** CacheError is every error raised on purpose by src/cache; always kind 'unavailable'. */
class CacheError extends ModguardError {
    constructor(code, message, options) {
        super(code, 'unavailable', message, options);
    }
}

;// CONCATENATED MODULE: ./src/cache/dirs.ts



/**
 * userCacheDir is the OS's per-user cache directory, as Go's os.UserCacheDir defines it:
 * `%LocalAppData%` on Windows, `~/Library/Caches` on macOS, otherwise `$XDG_CACHE_HOME`
 * when set to an absolute path (XDG Base Directory Specification: relative paths are
 * invalid and ignored), else `~/.cache`.
 */
function userCacheDir({ platform, env, homedir }) {
    if (platform === 'win32') {
        const local = env['LocalAppData'] ?? env['LOCALAPPDATA'];
        if (local === undefined || local === '') {
            throw new CacheError('CACHE_DIR', '%LocalAppData% is not defined');
        }
        return local;
    }
    if (homedir === '' && platform === 'darwin') {
        throw new CacheError('CACHE_DIR', 'no home directory for ~/Library/Caches');
    }
    if (platform === 'darwin')
        return external_node_path_.posix.join(homedir, 'Library', 'Caches');
    const xdg = env['XDG_CACHE_HOME'];
    if (xdg !== undefined && external_node_path_.posix.isAbsolute(xdg))
        return xdg;
    if (homedir === '')
        throw new CacheError('CACHE_DIR', 'neither $XDG_CACHE_HOME nor $HOME is set');
    return external_node_path_.posix.join(homedir, '.cache');
}
/** defaultCacheDir is modguard's cache directory: userCacheDir + "/modguard". */
function defaultCacheDir(input) {
    const given = input ?? { platform: process.platform, env: process.env, homedir: homeOf() };
    const join = given.platform === 'win32' ? external_node_path_.win32.join : external_node_path_.posix.join;
    return join(userCacheDir(given), 'modguard');
}
function homeOf() {
    try {
        return external_node_os_namespaceObject.homedir();
    }
    catch {
        return '';
    }
}

;// CONCATENATED MODULE: ./src/cli/compile-cache.ts




/**
 * compileCacheDir is where Node's compile cache for this run goes: `compile/` in
 * modguard's default cache folder. Undefined when there is to be none: with --no-cache
 * (the run writes nothing), or when there is no user cache folder. The compile cache
 * holds V8's code for modguard's own bundles, keyed by Node to their contents and
 * Node's version, so it stays apart from the checks' cache, wherever --cache-dir puts that.
 */
function compileCacheDir(args, input) {
    if (args.includes('--no-cache'))
        return undefined;
    try {
        return (0,external_node_path_.join)(defaultCacheDir(input), 'compile');
    }
    catch {
        return undefined;
    }
}
/**
 * startCompileCache turns on Node's compile cache (Node >= 22.1) before the command's
 * bundle is loaded, so a run after the first starts from compiled code rather than
 * parsing and compiling the 1.5 MB bundle again (the zip thread is not cached). It never fails the
 * command: on Node 20, with NODE_DISABLE_COMPILE_CACHE, or in a folder that cannot be
 * written, there is simply no cache (Node reports that in a status, it does not throw).
 */
function startCompileCache(args) {
    const enable = external_node_module_namespaceObject.enableCompileCache;
    const dir = compileCacheDir(args);
    if (enable === undefined || dir === undefined)
        return;
    try {
        if (makeDir(dir))
            enable(dir);
    }
    catch {
        // a cache is an optimization: the command runs the same without one
    }
}
/**
 * makeDir makes dir and its missing parents one at a time, and says whether it is there.
 * Not mkdirSync's recursive mode, which Node's compile cache would use: where mkdir says
 * ENOENT under a parent that exists (in /proc, as with XDG_CACHE_HOME=/proc/self) that
 * mode retries forever, and the command would never start.
 */
function makeDir(dir) {
    const missing = [];
    for (let at = dir;; at = (0,external_node_path_.dirname)(at)) {
        try {
            if ((0,external_node_fs_namespaceObject.statSync)(at).isDirectory())
                break;
            return false;
        }
        catch (err) {
            if (err.code !== 'ENOENT' || (0,external_node_path_.dirname)(at) === at)
                return false;
        }
        missing.push(at);
    }
    for (const d of missing.reverse()) {
        try {
            (0,external_node_fs_namespaceObject.mkdirSync)(d);
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                return false;
        }
    }
    return true;
}


/***/ }),

/***/ 115:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_url__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _compile_cache_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(876);



/**
 * The installed command's entry, dist/cli.js (scripts/build.mjs). Node compiles a
 * bundle as a whole before any of it runs, so its compile cache must be on before the
 * command's bundle is loaded: this small bundle turns it on, then loads the command,
 * dist/modguard.js (built from bin.ts), from beside itself. webpackIgnore keeps the
 * bundler from taking that import in.
 */
const COMMAND_BASENAME = 'modguard';
(0,_compile_cache_js__WEBPACK_IMPORTED_MODULE_2__/* .startCompileCache */ .i)(process.argv.slice(2));
const here = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_1__.fileURLToPath)(import.meta.url));
const command = (0,node_url__WEBPACK_IMPORTED_MODULE_1__.pathToFileURL)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(here, COMMAND_BASENAME + '.js')).href;
await import(/* webpackIgnore: true */ command);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

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
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
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
/******/ var __webpack_exports__ = __nccwpck_require__(115);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
