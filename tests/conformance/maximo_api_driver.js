// GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
// Drives the public npm client ibm-maximo-api (1.0.15, MIT, by an IBM author) for test_ibm_maximo_api.py: one call per
// run, given as JSON in argv[3]; prints {"status": <HTTP status or null>, "body": <answer>} as JSON on stdout.
// argv[2] is the directory of the unpacked client (build/ibm-maximo-api-<version>/package). Only the client's own
// public API is used (new Maximo(options), resourceobject().select/where/equal/in/orderby/pagesize/fetch, create,
// resource(href).update/delete, action/invoke); nothing of it is copied here.
'use strict';

// The client logs to console.log; keep stdout for the one JSON answer.
console.log = function () { process.stderr.write(Array.prototype.join.call(arguments, ' ') + '\n'); };

const Maximo = require(require('path').resolve(process.argv[2]));
const call = JSON.parse(process.argv[3]);

function done(status, body) {
    process.stdout.write(JSON.stringify({status: status, body: body}) + '\n');
    process.exit(0);
}

process.on('uncaughtException', function (error) {
    // e.g. the client's JSON.parse of an empty answer: reported as the client's failure, not hidden
    process.stdout.write(JSON.stringify({status: null, crash: String(error && error.message || error)}) + '\n');
    process.exit(3);
});

const maximo = new Maximo({
    protocol: 'http', hostname: call.hostname, port: String(call.port), user: call.user, password: call.password,
    auth_scheme: '/maximo', authtype: 'maxauth', islean: 1,
});
const set = maximo.resourceobject(call.os);

function parse(text) {
    try { return JSON.parse(text); } catch (error) { return text; }
}

if (call.op === 'fetch') {
    let query = set;
    if (call.select) { query = query.select(call.select); }
    (call.where || []).forEach(function (term, index) {
        query = index === 0 ? query.where(term[0]) : query.and(term[0]);
        query = term[1] === 'in' ? query.in(term[2]) : query.equal(term[2]);
    });
    if (call.orderby) { query = query.orderby(call.orderby[0], call.orderby[1]); }
    if (call.pagesize) { query = query.pagesize(call.pagesize); }
    // fetch() passes no status on; the body (member, or Maximo's {"Error": {...}}) is the answer.
    query.fetch().then(function (resourceset) { done(null, resourceset.JSON()); })
        .fail(function (error) { done(null, {clientError: String(error)}); });
} else if (call.op === 'create') {
    set.create(call.body, call.properties, null, function (status, resource) { done(status, resource.JSON()); });
} else if (call.op === 'update') {
    set.resource(call.href).update(call.body, call.properties, function (status, resource) {
        done(status, resource.JSON());
    });
} else if (call.op === 'delete') {
    set.resource(call.href).delete({}, call.properties || [], function (status, resource) {
        done(status, resource.JSON());
    });
} else if (call.op === 'invoke') {
    set.action(call.action);
    set.invoke({url: call.href}, function (status, text) { done(status, parse(text)); });
} else {
    process.stderr.write('unknown op ' + call.op + '\n');
    process.exit(2);
}
