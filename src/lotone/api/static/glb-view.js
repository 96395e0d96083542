// A small, dependency-free viewer for the GLB previews lotone.design exports: it reads the
// binary glTF (positions and triangle indices of every mesh, node translations) and draws the
// triangles flat-shaded into the canvas's pixels with a depth buffer (orthographic camera in
// front of the model and above it, z up), shades with distance, and outlines each part.
// Enough for a printed part of some thousand triangles or a wardrobe's boards; no WebGL needed.

const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;

/** Parse a GLB into a list of {name, positions: Float32Array, indices: Uint32Array|Uint16Array}. */
export function parseGlb(buffer) {
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== 0x46546c67) throw new Error("not a binary glTF file");
  let offset = 12;
  let json = null;
  let bin = null;
  while (offset < buffer.byteLength) {
    const length = view.getUint32(offset, true);
    const type = view.getUint32(offset + 4, true);
    const start = offset + 8;
    if (type === JSON_CHUNK) json = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, start, length)));
    else if (type === BIN_CHUNK) bin = start;
    offset = start + length;
  }
  if (!json || bin === null) throw new Error("GLB without a JSON or a binary chunk");
  const accessor = (i) => {
    const a = json.accessors[i];
    const bv = json.bufferViews[a.bufferView];
    const at = bin + (bv.byteOffset || 0) + (a.byteOffset || 0);
    const width = { SCALAR: 1, VEC3: 3 }[a.type];
    const n = a.count * width;
    if (a.componentType === 5126) return new Float32Array(buffer.slice(at, at + 4 * n));
    if (a.componentType === 5125) return new Uint32Array(buffer.slice(at, at + 4 * n));
    if (a.componentType === 5123) return new Uint16Array(buffer.slice(at, at + 2 * n));
    throw new Error(`unsupported accessor component type ${a.componentType}`);
  };
  const parts = [];
  for (const node of json.nodes || []) {
    if (node.mesh === undefined) continue;
    const t = node.translation || (node.matrix ? node.matrix.slice(12, 15) : [0, 0, 0]);
    for (const prim of json.meshes[node.mesh].primitives) {
      if ((prim.mode ?? 4) !== 4) continue;
      const positions = accessor(prim.attributes.POSITION);
      for (let i = 0; i < positions.length; i += 3) {
        positions[i] += t[0]; positions[i + 1] += t[1]; positions[i + 2] += t[2];
      }
      parts.push({ name: node.name || "", positions, indices: accessor(prim.indices) });
    }
  }
  return parts;
}

// A colour per kind of part (by its node name), so a wardrobe's doors, carcass, shelves and
// drawers can be told apart; anything else (an insole) keeps the default blue.
const TINTS = [
  [/^(door|box-front)/, [0.95, 0.78, 0.55]],
  [/^(shelf|drawer)/, [0.62, 0.86, 0.68]],
  [/./, [0.55, 0.75, 1.0]],
];

function tintOf(name) {
  return TINTS.find(([pattern]) => pattern.test(name))[1];
}

export class GlbView {
  constructor(canvas) {
    this.canvas = canvas;
    this.parts = [];
    this.yaw = -0.5;
    this.pitch = 0.9;
    let drag = null;
    canvas.addEventListener("pointerdown", (e) => { drag = [e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointerup", () => { drag = null; });
    canvas.addEventListener("pointermove", (e) => {
      if (!drag) return;
      this.turn((e.clientX - drag[0]) * 0.01, (e.clientY - drag[1]) * 0.01);
      drag = [e.clientX, e.clientY];
    });
    canvas.addEventListener("keydown", (e) => {
      const step = { ArrowLeft: [-0.2, 0], ArrowRight: [0.2, 0], ArrowUp: [0, -0.2], ArrowDown: [0, 0.2] }[e.key];
      if (step) { e.preventDefault(); this.turn(step[0], step[1]); }
    });
  }

  turn(dYaw, dPitch) {
    this.yaw += dYaw;
    this.pitch = Math.max(-1.5, Math.min(1.5, this.pitch + dPitch));
    this.draw();
  }

  load(buffer) {
    this.parts = parseGlb(buffer);
    let lo = [Infinity, Infinity, Infinity];
    let hi = [-Infinity, -Infinity, -Infinity];
    for (const { positions } of this.parts) {
      for (let i = 0; i < positions.length; i += 3) {
        for (let k = 0; k < 3; k++) {
          lo[k] = Math.min(lo[k], positions[i + k]);
          hi[k] = Math.max(hi[k], positions[i + k]);
        }
      }
    }
    this.center = lo.map((v, k) => (v + hi[k]) / 2);
    this.radius = Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2 || 1;
    this.size = hi.map((v, k) => v - lo[k]);
    // a standing object (a wardrobe) is seen from the front, a flat one (an insole) from above
    const tall = this.size[2] > 0.5 * Math.max(this.size[0], this.size[1]);
    if (tall !== this.tall) { this.tall = tall; this.pitch = tall ? 0.35 : 0.9; }
    this.draw();
  }

  draw() {
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    const image = ctx.createImageData(width, height);
    const rgba = image.data;
    for (let i = 0; i < rgba.length; i += 4) {
      rgba[i] = 0xe9; rgba[i + 1] = 0xee; rgba[i + 2] = 0xf3; rgba[i + 3] = 255;
    }
    if (this.parts.length) this.raster(rgba, width, height);
    ctx.putImageData(image, 0, 0);
  }

  // Every triangle into `rgba` through a depth buffer, then a darker outline where parts meet.
  raster(rgba, width, height) {
    const near = new Float32Array(width * height).fill(-Infinity);
    const owner = new Int32Array(width * height).fill(-1);
    const cy = Math.cos(this.yaw), sy = Math.sin(this.yaw);
    const cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    const scale = (0.95 * Math.min(width, height)) / (2 * this.radius);
    const [mx, my, mz] = this.center;
    const ox = width / 2, oy = height / 2;
    this.parts.forEach(({ name, positions, indices }, part) => {
      const tint = tintOf(name);
      const n = positions.length / 3;
      // view space: X right, Y up, N towards the viewer (in front of the model, above it)
      const X = new Float32Array(n), Y = new Float32Array(n), N = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const x = positions[3 * i] - mx, y = positions[3 * i + 1] - my, z = positions[3 * i + 2] - mz;
        const x1 = cy * x - sy * y, y1 = sy * x + cy * y;
        X[i] = x1;
        Y[i] = sp * y1 + cp * z;
        N[i] = sp * z - cp * y1;
      }
      for (let t = 0; t < indices.length; t += 3) {
        const a = indices[t], b = indices[t + 1], c = indices[t + 2];
        const ux = X[b] - X[a], uy = Y[b] - Y[a], uz = N[b] - N[a];
        const vx = X[c] - X[a], vy = Y[c] - Y[a], vz = N[c] - N[a];
        let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        const len = Math.hypot(nx, ny, nz) || 1;
        // no back-face culling: a mirrored part's winding is reversed, so light both sides
        if (nz < 0) { nx = -nx; ny = -ny; nz = -nz; }
        const light = 0.35 + 0.65 * Math.max(0, (0.3 * nx + 0.5 * ny + 0.8 * nz) / len);
        const v = 60 + 170 * light;
        this.triangle(rgba, near, owner, width, height, part,
          [ox + X[a] * scale, oy - Y[a] * scale, N[a]],
          [ox + X[b] * scale, oy - Y[b] * scale, N[b]],
          [ox + X[c] * scale, oy - Y[c] * scale, N[c]],
          [v * tint[0], v * tint[1], v * tint[2]]);
      }
    });
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (owner[i] < 0) continue;
        const right = x + 1 < width ? owner[i + 1] : -1, below = y + 1 < height ? owner[i + width] : -1;
        if (right !== owner[i] || below !== owner[i]) {
          for (let k = 0; k < 3; k++) rgba[4 * i + k] *= 0.62;
        }
      }
    }
  }

  // One triangle (screen x, y and nearness per corner) with a flat colour, dimmed with distance.
  triangle(rgba, near, owner, width, height, part, p, q, r, colour) {
    const area = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
    if (Math.abs(area) < 1e-9) return;
    const x0 = Math.max(0, Math.floor(Math.min(p[0], q[0], r[0])));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(p[0], q[0], r[0])));
    const y0 = Math.max(0, Math.floor(Math.min(p[1], q[1], r[1])));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(p[1], q[1], r[1])));
    const depth = 2 * this.radius;
    for (let y = y0; y <= y1; y++) {
      const cy = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const cx = x + 0.5;
        const w0 = ((q[0] - cx) * (r[1] - cy) - (q[1] - cy) * (r[0] - cx)) / area;
        const w1 = ((r[0] - cx) * (p[1] - cy) - (r[1] - cy) * (p[0] - cx)) / area;
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const z = w0 * p[2] + w1 * q[2] + w2 * r[2];
        const i = y * width + x;
        if (z <= near[i]) continue;
        near[i] = z;
        owner[i] = part;
        const dim = 0.78 + 0.22 * Math.min(1, Math.max(0, 0.5 + z / depth));
        rgba[4 * i] = colour[0] * dim;
        rgba[4 * i + 1] = colour[1] * dim;
        rgba[4 * i + 2] = colour[2] * dim;
      }
    }
  }
}
