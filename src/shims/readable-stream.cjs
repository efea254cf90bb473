// See [alias] in wrangler.toml: readable-stream resolves to Node's stream module on workerd.
module.exports = require("node:stream");
