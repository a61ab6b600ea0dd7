// Keeps campaign-client.d.ts and campaign-react.d.ts in step with the modules they describe: the
// names each module exports, the client's public methods and getters, the options its constructor
// reads, the members of a real state and error value, and what the hook returns must be exactly
// what the declarations list. Run by scripts/test: `node Tests/TypeScript/check-declarations.mjs`.
// TypeScript's compiler API reads the declarations (TYPESCRIPT: where the typescript package is,
// default Debian's /usr/share/nodejs/typescript).

import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ts = require(process.env.TYPESCRIPT ?? "/usr/share/nodejs/typescript");
const resources = new URL("../../Sources/CampaignServer/Resources/", import.meta.url);
const resource = (name) => fileURLToPath(new URL(name, resources));

const clientModule = await import(new URL("campaign-client.js", resources));
const streamModule = await import(new URL("campaign-stream.js", resources));
const reactModule = await import(new URL("campaign-react.js", resources));

const program = ts.createProgram([resource("campaign-client.d.ts"), resource("campaign-react.d.ts")], {
  strict: true, noEmit: true, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: [],
});
const checker = program.getTypeChecker();

function moduleExports(name) {
  const source = program.getSourceFile(resource(name));
  return new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(source)).map((symbol) => [symbol.name, symbol]));
}

/** The member names of a declared interface or class (instance side, no constructor). */
function declaredMembers(exports, name) {
  const symbol = exports.get(name);
  if (!symbol) throw new Error(`${name} is not declared`);
  return [...symbol.members.keys()].filter((member) => member !== "__constructor").sort();
}

const valueNames = (exports) =>
  [...exports.values()].filter((symbol) => symbol.flags & ts.SymbolFlags.Value).map((symbol) => symbol.name).sort();

/** The names the first parameter of the class's constructor destructures, read from the source. */
function constructorOptions(file, className) {
  const source = ts.createSourceFile(file, ts.sys.readFile(file), ts.ScriptTarget.ES2022, true);
  let names = null;
  const visit = (node) => {
    if (ts.isClassDeclaration(node) && node.name?.text === className) {
      const constructor = node.members.find(ts.isConstructorDeclaration);
      const pattern = constructor?.parameters[0]?.name;
      if (pattern && ts.isObjectBindingPattern(pattern)) names = pattern.elements.map((element) => element.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!names) throw new Error(`no destructured options in ${className}'s constructor`);
  return names.sort();
}

const mismatches = [];
function same(what, actual, declared) {
  const a = [...actual].sort();
  const d = [...declared].sort();
  const missing = a.filter((name) => !d.includes(name));
  const extra = d.filter((name) => !a.includes(name));
  if (missing.length || extra.length) mismatches.push(`${what}: not declared [${missing}], declared but absent [${extra}]`);
  else console.log(`in step: ${what} (${a.length})`);
}

const client = moduleExports("campaign-client.d.ts");
const react = moduleExports("campaign-react.d.ts");
const { CampaignClient } = clientModule;

same("campaign-client.js exports", Object.keys(clientModule), valueNames(client));
same(
  "CampaignClient methods and getters",
  Object.getOwnPropertyNames(CampaignClient.prototype).filter((name) => name !== "constructor"),
  declaredMembers(client, "CampaignClient"),
);
same("CampaignClient options", constructorOptions(resource("campaign-client.js"), "CampaignClient"), declaredMembers(client, "CampaignClientOptions"));
const instance = new CampaignClient({ baseUrl: "/api", campaignId: "c", token: "" });
same("CampaignState members", Object.keys(instance.state), declaredMembers(client, "CampaignState"));
same("ClientError members", Object.keys(streamModule.makeError(0, "code", "message", null)), declaredMembers(client, "ClientError"));

same("campaign-react.js exports", Object.keys(reactModule), valueNames(react));
const stubReact = {
  useEffect() {},
  useMemo: (factory) => factory(),
  useRef: (current) => ({ current }),
  useSyncExternalStore: (subscribe, getSnapshot) => getSnapshot(),
};
same("ReactHooks (what the hook uses)", Object.keys(stubReact), declaredMembers(react, "ReactHooks"));
const hooks = reactModule.bindCampaignHooks(stubReact);
same("bindCampaignHooks result", Object.keys(hooks), declaredMembers(react, "CampaignHooks"));
const execution = hooks.useCampaignExecution({ baseUrl: "/api", campaignId: "c", token: "" });
same("useCampaignExecution result", Object.keys(execution), declaredMembers(react, "CampaignExecution"));

if (mismatches.length) {
  console.error(`check-declarations: the .d.ts files and the modules differ:\n  ${mismatches.join("\n  ")}`);
  process.exit(1);
}
console.log("check-declarations: the declarations match the modules");
