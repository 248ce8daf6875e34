// Reads GIFT on stdin, prints gift-pegjs's parse as JSON; a syntax error exits 1 with its location.
const { parse } = require("gift-pegjs");
const text = require("fs").readFileSync(0, "utf8");
try {
  process.stdout.write(JSON.stringify(parse(text)));
} catch (error) {
  process.stderr.write(`${error.location ? error.location.start.line + ":" + error.location.start.column + ": " : ""}${error.message}\n`);
  process.exit(1);
}
