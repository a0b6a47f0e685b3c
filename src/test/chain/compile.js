// Compiles the Solidity fixtures in ./contracts with solc-js and prints {Name: {abi, bytecode}} as JSON.
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = path.join(__dirname, 'contracts');
const sources = {};
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(dir, file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun',
              outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: p => {
  const file = path.join(dir, path.basename(p));
  return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: 'not found: ' + p };
} }));
const errors = (output.errors || []).filter(e => e.severity === 'error');
if (errors.length) {
  process.stderr.write(errors.map(e => e.formattedMessage).join('\n'));
  process.exit(1);
}
const result = {};
for (const file of Object.keys(output.contracts)) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    if (c.evm.bytecode.object) result[name] = { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
  }
}
process.stdout.write(JSON.stringify(result));
