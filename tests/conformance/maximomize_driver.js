// GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
// Drives the public npm client @maximomize/maximo-api-client (0.8.4, MIT, Maximomize) for
// test_maximomize_client.py: one call per run, given as JSON in argv[3]; prints {"ok": true, "result": ...} or
// {"ok": false, "status": <HTTP status>, "error": <Maximo's error body>} as JSON on stdout. argv[2] is the directory
// the client is installed in (build/maximomize-<version>). Only the client's public API is used (MaximoClient with
// an API key: autoScript, getApiKeyService(), getSystemService(), getLoggingService(); MaximoToolsClient: integrityChecker, toolsLog,
// podManager); nothing of it is copied here.
'use strict';

const path = require('path');
const mz = require(path.join(path.resolve(process.argv[2]), 'node_modules', '@maximomize', 'maximo-api-client'));
const call = JSON.parse(process.argv[3]);

// The client logs through winston to the console; keep stdout for the one JSON answer.
console.log = console.info = console.warn = console.debug = function () {
    process.stderr.write(Array.prototype.join.call(arguments, ' ') + '\n');
};

function answer(body) {
    process.stdout.write(JSON.stringify(body) + '\n');
    process.exit(0);
}

function failed(error) {
    // OslcError carries the HTTP status and Maximo's error body; anything else is the client's own failure.
    answer({ok: false, status: error && (error.statusCode || error.status) || null,
            error: error && (error.oslcError || error.message) || String(error), reason: error && error.reasonCode || null,
            message: String(error && error.message || error)});
}

process.on('unhandledRejection', failed);

// The client takes the host without its scheme, and ssl: false for plain HTTP (it prefixes the scheme itself).
const host = call.base_url.replace(/^https?:\/\//, '');
const ssl = call.base_url.startsWith('https://');

function manage() {
    return new mz.MaximoClient({baseUrl: host, ssl: ssl, apiKey: call.api_key, autoAuthenticate: false,
                                logLevel: 'error'});
}

function tools() {
    return new mz.MaximoToolsClient({baseUrl: host, ssl: ssl, apiKey: call.api_key, logLevel: 'error'});
}

const ops = {
    // automation scripts (mxapiautoscript)
    'script.create': () => manage().autoScript.createScript(call.script, call.properties),
    'script.find': () => manage().autoScript.findAll(call.where, call.select),
    'script.source': () => manage().autoScript.downloadScriptSource(call.name),
    'script.update': () => manage().autoScript.update(call.id, call.body),
    'script.delete': () => manage().autoScript.delete(call.id),
    // API keys (mxapiapikey)
    'apikey.create': () => manage().getApiKeyService().createApiKey(call.request),
    'apikey.list': () => manage().getApiKeyService().getAllApiKeys(call.where, call.select),
    'apikey.revoke': () => manage().getApiKeyService().revokeApiKeyById(call.id),
    // system properties (service/system)
    'property.refresh': () => manage().getSystemService().liveRefreshProperty(call.name),
    // the logging service (service/logging)
    'log.level': () => manage().getLoggingService().getLogLevel(call.name),
    'log.setLevel': () => manage().getLoggingService().setLogLevel(call.name, call.level),
    'log.stream': () => manage().getLoggingService().streamLogsFromManage(call.lines)
        .then((response) => ({status: response.status, data: response.data})),
    // the Tools API (/toolsapi/toolservice)
    'tools.icheckerreport': () => tools().integrityChecker.generateIntegrityCheckerLog(),
    'tools.logs': () => tools().logManager.getAllToolsLogs(),
    'tools.log': () => tools().logManager.getToolsLog(call.name),
    'tools.stop': () => tools().podManager.stopPods().then((response) => ({status: response.status})),
    'tools.start': () => tools().podManager.startPods().then((response) => ({status: response.status})),
};

if (!ops[call.op]) {
    process.stderr.write('unknown op ' + call.op + '\n');
    process.exit(2);
}
Promise.resolve().then(ops[call.op]).then((result) => answer({ok: true, result: result === undefined ? null : result}),
                                          failed);
