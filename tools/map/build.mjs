// Builds crates/web/assets/americas.json, the committed map of the Americas used by the home page.
//
// Input: world-atlas countries-50m.json (Natural Earth 1:50m, public domain). Pass its path as the
// first argument, or have world-atlas installed in a node_modules that Node can resolve from the
// working directory (see README.md). Output path: second argument, default
// crates/web/assets/americas.json relative to the repository root.
//
// What it does:
//   1. projects every TopoJSON arc with a Miller cylindrical projection onto a frame covering
//      longitude -170..-30 and latitude -57..75, scaled to a viewBox 1000 wide;
//   2. simplifies each arc once (radial distance, 0.6 units), so that neighbouring States keep
//      exactly the same shared border;
//   3. clips every polygon to the frame, rounds to 0.1 units;
//   4. writes the 35 OAS member States (path, centroid of their largest polygon, area) and the
//      other land inside the frame as grey context.

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");

// topojson-client is resolved like world-atlas: from the working directory first, then from here.
const requireCwd = createRequire(join(process.cwd(), "noop.js"));
const requireHere = createRequire(import.meta.url);
function load(name) {
  for (const req of [requireCwd, requireHere]) {
    try {
      return req(name);
    } catch {}
  }
  const nodePath = (process.env.NODE_PATH || "").split(":").filter(Boolean);
  for (const dir of nodePath) {
    try {
      return createRequire(join(dir, "noop.js"))(name);
    } catch {}
  }
  throw new Error(`cannot resolve ${name}: run the npm install from tools/map/README.md and rerun from that directory (or set NODE_PATH)`);
}
const topojson = load("topojson-client");

function inputPath() {
  if (process.argv[2]) return resolve(process.argv[2]);
  for (const req of [requireCwd, requireHere]) {
    try {
      return req.resolve("world-atlas/countries-50m.json");
    } catch {}
  }
  for (const dir of (process.env.NODE_PATH || "").split(":").filter(Boolean)) {
    const p = join(dir, "world-atlas", "countries-50m.json");
    if (existsSync(p)) return p;
  }
  throw new Error("countries-50m.json not found: pass its path as the first argument");
}

const IN = inputPath();
const OUT = process.argv[3] ? resolve(process.argv[3]) : join(repoRoot, "crates", "web", "assets", "americas.json");

// The 35 OAS member States, by ISO 3166-1 numeric code.
const OAS = {
  "028": "AG", "032": "AR", "044": "BS", "052": "BB", "084": "BZ", "068": "BO", "076": "BR",
  "124": "CA", "152": "CL", "170": "CO", "188": "CR", "192": "CU", "212": "DM", "214": "DO",
  "218": "EC", "222": "SV", "840": "US", "308": "GD", "320": "GT", "328": "GY", "332": "HT",
  "340": "HN", "388": "JM", "484": "MX", "558": "NI", "591": "PA", "600": "PY", "604": "PE",
  "659": "KN", "662": "LC", "670": "VC", "740": "SR", "780": "TT", "858": "UY", "862": "VE",
};

// Frame and projection (Miller cylindrical).
const LON0 = -170, LON1 = -30, LAT0 = -57, LAT1 = 75;
const WIDTH = 1000;
const rad = (d) => (d * Math.PI) / 180;
const millerY = (lat) => 1.25 * Math.log(Math.tan(Math.PI / 4 + 0.4 * rad(lat)));
const S = WIDTH / rad(LON1 - LON0);
const YTOP = millerY(LAT1);
const HEIGHT = Math.round((YTOP - millerY(LAT0)) * S);
const project = ([lon, lat]) => [(rad(lon - LON0)) * S, (YTOP - millerY(lat)) * S];

const TOLERANCE = 0.6; // drop consecutive points closer than this (svg units)

// --- TopoJSON arcs: decode, simplify -----------------------------------------------------------

const topo = JSON.parse(readFileSync(IN, "utf8"));
const geoms = topo.objects.countries.geometries;

function decodeArcs(t) {
  const [sx, sy] = t.transform ? t.transform.scale : [1, 1];
  const [tx, ty] = t.transform ? t.transform.translate : [0, 0];
  return t.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => {
      if (t.transform) { x += dx; y += dy; } else { x = dx; y = dy; }
      return [x * sx + tx, y * sy + ty];
    });
  });
}

// Squared distance between two lon/lat points once projected (across the antimeridian if shorter).
function projectedDist2(a, b) {
  let dl = Math.abs(a[0] - b[0]);
  if (dl > 180) dl = 360 - dl;
  const dx = rad(dl) * S;
  const dy = (millerY(a[1]) - millerY(b[1])) * S;
  return dx * dx + dy * dy;
}

// Radial-distance simplification of one arc. Arcs are shared by neighbouring countries, so
// simplifying them (rather than each country's rings) keeps common borders identical.
function simplifyArc(points, tol) {
  if (points.length <= 2) return points;
  const t2 = tol * tol;
  const out = [points[0]];
  let last = points[0];
  for (let i = 1; i < points.length - 1; i++) {
    if (projectedDist2(points[i], last) >= t2) { out.push(points[i]); last = points[i]; }
  }
  const end = points[points.length - 1];
  // Keep the endpoint (a junction with other arcs); drop a kept point that crowds it.
  if (out.length > 1 && projectedDist2(end, out[out.length - 1]) < t2) out.pop();
  out.push(end);
  return out;
}

const lonLatArcs = decodeArcs(topo);
const withArcs = (arcs) => ({ type: "Topology", objects: topo.objects, arcs });
const topoFull = withArcs(lonLatArcs);
const topoSimple = withArcs(lonLatArcs.map((arc) => simplifyArc(arc, TOLERANCE)));

// The file's polygons are spherical: a few (Russia, Fiji, Antarctica) cross the antimeridian.
// Make each ring's longitudes continuous, then project every 360° copy of the polygon that
// meets the frame (e.g. Chukotka, stored as -180..-169.7, lands at the frame's western edge).
function unwrapRing(ring) {
  const out = [];
  let shift = 0;
  for (let i = 0; i < ring.length; i++) {
    if (i > 0) {
      const d = ring[i][0] - ring[i - 1][0];
      if (d > 180) shift -= 360;
      else if (d < -180) shift += 360;
    }
    out.push([ring[i][0] + shift, ring[i][1]]);
  }
  return out;
}

function projectPolygon(rings) {
  const un = rings.map(unwrapRing);
  let lo = Infinity, hi = -Infinity;
  for (const [lon] of un[0]) { lo = Math.min(lo, lon); hi = Math.max(hi, lon); }
  const copies = [];
  for (let k = -2; k <= 2; k++) {
    if (hi + 360 * k >= LON0 && lo + 360 * k <= LON1) {
      copies.push(un.map((r) => r.map(([lon, lat]) => project([lon + 360 * k, lat]))));
    }
  }
  return copies;
}

// --- Geometry helpers -----------------------------------------------------------------------

// Sutherland–Hodgman clipping of one ring (open: no repeated closing point) to the frame.
function clipRing(ring) {
  const edges = [
    (p) => p[0] >= 0, (a, b) => cut(a, b, 0, 0),
    (p) => p[0] <= WIDTH, (a, b) => cut(a, b, 0, WIDTH),
    (p) => p[1] >= 0, (a, b) => cut(a, b, 1, 0),
    (p) => p[1] <= HEIGHT, (a, b) => cut(a, b, 1, HEIGHT),
  ];
  function cut(a, b, axis, v) {
    const t = (v - a[axis]) / (b[axis] - a[axis]);
    const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    p[axis] = v;
    return p;
  }
  let pts = ring;
  for (let e = 0; e < edges.length; e += 2) {
    const inside = edges[e], intersect = edges[e + 1];
    if (pts.length === 0) break;
    const out = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i], prev = pts[(i + pts.length - 1) % pts.length];
      const ci = inside(cur), pi = inside(prev);
      if (ci) {
        if (!pi) out.push(intersect(prev, cur));
        out.push(cur);
      } else if (pi) {
        out.push(intersect(prev, cur));
      }
    }
    pts = out;
  }
  return pts;
}

function openRing(ring) {
  const r = ring.slice();
  const a = r[0], b = r[r.length - 1];
  if (r.length > 1 && a[0] === b[0] && a[1] === b[1]) r.pop();
  return r;
}

function signedArea(ring) {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x0, y0] = ring[i], [x1, y1] = ring[(i + 1) % n];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

// Round to tenths (kept as integers to avoid float noise) and drop repeated points.
function roundRing(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [Math.round(x * 10), Math.round(y * 10)];
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

function polygonsOf(geometry) {
  if (!geometry) return [];
  const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return polys.flatMap(projectPolygon);
}

// Clipped polygons (arrays of open rings, float coordinates).
function clippedPolygons(feature) {
  const polys = [];
  for (const poly of polygonsOf(feature.geometry)) {
    const rings = poly.map((r) => clipRing(openRing(r))).filter((r) => r.length >= 3);
    if (rings.length && Math.abs(signedArea(rings[0])) > 0) polys.push(rings);
  }
  return polys;
}

function polygonArea(rings) {
  // Holes have the opposite winding of their outer ring.
  const outer = signedArea(rings[0]);
  const sign = Math.sign(outer) || 1;
  return rings.reduce((s, r) => s + sign * signedArea(r), 0);
}

function polygonCentroid(rings) {
  let a = 0, cx = 0, cy = 0;
  for (const ring of rings) {
    for (let i = 0, n = ring.length; i < n; i++) {
      const [x0, y0] = ring[i], [x1, y1] = ring[(i + 1) % n];
      const f = x0 * y1 - x1 * y0;
      a += f; cx += (x0 + x1) * f; cy += (y0 + y1) * f;
    }
  }
  return a === 0 ? rings[0][0] : [cx / (3 * a), cy / (3 * a)];
}

function inside(rings, [x, y]) {
  let c = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
  }
  return c;
}

// A point inside the polygon near (x, y): midpoint of the widest interior run on a horizontal line.
function interiorPoint(rings, [x, y]) {
  let best = null;
  const ys = [y];
  const [ymin, ymax] = rings[0].reduce(([a, b], p) => [Math.min(a, p[1]), Math.max(b, p[1])], [Infinity, -Infinity]);
  for (let k = 1; k <= 40; k++) ys.push(y + ((ymax - ymin) * k) / 80, y - ((ymax - ymin) * k) / 80);
  for (const yy of ys) {
    const xs = [];
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > yy) !== (yj > yy)) xs.push(((xj - xi) * (yy - yi)) / (yj - yi) + xi);
      }
    }
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = xs[i + 1] - xs[i];
      // Prefer wide runs close to the centroid.
      const score = w - Math.abs(yy - y) * 0.5;
      if (!best || score > best.score) best = { score, p: [(xs[i] + xs[i + 1]) / 2, yy] };
    }
    if (best && yy === y && best.score > 0) break;
  }
  return best ? best.p : [x, y];
}

const fmt = (t) => String(t / 10);
function pathOf(rings) {
  return rings
    .map((r) => "M" + fmt(r[0][0]) + " " + fmt(r[0][1]) + "L" + r.slice(1).map((p) => fmt(p[0]) + " " + fmt(p[1])).join(" ") + "Z")
    .join("");
}

// Rounded rings of a feature, ready to draw: from the simplified topology, with a fallback to
// the full-resolution one for shapes that simplification would erase entirely.
function drawableRings(simpleFeature, fullFeature) {
  const collect = (feature) => {
    const rings = [];
    for (const poly of clippedPolygons(feature)) {
      for (const r of poly.map(roundRing)) {
        if (r.length >= 3 && signedArea(r) !== 0) rings.push(r);
      }
    }
    return rings;
  };
  const rings = collect(simpleFeature);
  if (rings.length) return { rings, fallback: false };
  return { rings: collect(fullFeature), fallback: true };
}

// --- Build ----------------------------------------------------------------------------------

const states = [];
const problems = [];
const context = [];
const byId = new Map();
for (const g of geoms) {
  if (!byId.has(g.id)) byId.set(g.id, []);
  byId.get(g.id).push(g);
}

for (const [numeric, code] of Object.entries(OAS)) {
  const gs = byId.get(numeric) || [];
  if (gs.length === 0) {
    problems.push(`${code} (${numeric}): no shape in ${IN}`);
    continue;
  }
  const rings = [];
  let area = 0;
  let largest = null;
  let usedFallback = false;
  for (const g of gs) {
    const full = topojson.feature(topoFull, g);
    const simple = topojson.feature(topoSimple, g);
    const d = drawableRings(simple, full);
    usedFallback ||= d.fallback;
    rings.push(...d.rings);
    for (const poly of clippedPolygons(full)) {
      const a = polygonArea(poly);
      area += a;
      if (!largest || a > largest.area) largest = { area: a, rings: poly };
    }
  }
  if (!rings.length || !largest) {
    problems.push(`${code} (${numeric}): empty inside the frame`);
    continue;
  }
  let c = polygonCentroid(largest.rings);
  let centroidInside = inside(largest.rings, c);
  if (!centroidInside) c = interiorPoint(largest.rings, c);
  states.push({
    numeric,
    code,
    path: pathOf(rings),
    centroid: [Math.round(c[0] * 10) / 10, Math.round(c[1] * 10) / 10],
    area: Math.round(area * 10) / 10,
    _note: [usedFallback && "full-resolution fallback", !centroidInside && "centroid moved inside"].filter(Boolean).join(", "),
  });
}

for (const g of geoms) {
  if (OAS[g.id]) continue;
  const simple = topojson.feature(topoSimple, g);
  const full = topojson.feature(topoFull, g);
  const { rings } = drawableRings(simple, full);
  if (rings.length) context.push({ path: pathOf(rings), _name: g.properties && g.properties.name });
}

if (problems.length) {
  console.error("\n*** MISSING OAS MEMBER STATES ***");
  for (const p of problems) console.error("  " + p);
  console.error("*********************************\n");
  process.exit(1);
}

// Large States first, so that small States and their markers are drawn on top.
states.sort((a, b) => b.area - a.area);

const out = {
  viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
  attribution: "Natural Earth (public domain), via world-atlas 50m",
  states: states.map(({ _note, ...s }) => s),
  context: context.map(({ _name, ...c }) => c),
};
mkdirSync(dirname(OUT), { recursive: true });
const json = JSON.stringify(out);
writeFileSync(OUT, json + "\n");

console.log(`input   ${IN}`);
console.log(`output  ${OUT} (${(json.length / 1024).toFixed(1)} KB)`);
console.log(`viewBox ${out.viewBox}`);
console.log(`states  ${states.length}, context ${context.length}: ${context.map((c) => c._name).join(", ")}`);
for (const s of states) {
  console.log(`  ${s.code} ${s.numeric} area ${String(s.area).padStart(9)} centroid ${s.centroid.join(",")} path ${s.path.length} chars${s.area < 60 ? "  SMALL" : ""}${s._note ? "  (" + s._note + ")" : ""}`);
}
