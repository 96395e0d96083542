// A small, dependency-free viewer for the GLB previews lotone.design exports: it reads the
// binary glTF (positions and triangle indices of every mesh, node translations) and draws the
// triangles with flat shading on a 2D canvas (painter's algorithm, orthographic camera).
// Enough for a printed part of a few thousand triangles; no WebGL needed.

const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;

/** Parse a GLB into a list of {positions: Float32Array, indices: Uint32Array|Uint16Array}. */
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
      parts.push({ positions, indices: accessor(prim.indices) });
    }
  }
  return parts;
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
    this.draw();
  }

  draw() {
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    ctx.fillStyle = "#e9eef3";
    ctx.fillRect(0, 0, width, height);
    if (!this.parts.length) return;
    const cy = Math.cos(this.yaw), sy = Math.sin(this.yaw);
    const cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    const scale = (0.95 * Math.min(width, height)) / (2 * this.radius);
    const [mx, my, mz] = this.center;
    const tris = [];
    for (const { positions, indices } of this.parts) {
      const n = positions.length / 3;
      const px = new Float32Array(n), py = new Float32Array(n), pz = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        // turn about the vertical (z) axis, then tilt about the screen's x axis
        const x = positions[3 * i] - mx, y = positions[3 * i + 1] - my, z = positions[3 * i + 2] - mz;
        const x1 = cy * x - sy * y, y1 = sy * x + cy * y;
        px[i] = x1;
        py[i] = cp * y1 - sp * z;
        pz[i] = sp * y1 + cp * z;
      }
      for (let t = 0; t < indices.length; t += 3) {
        const a = indices[t], b = indices[t + 1], c = indices[t + 2];
        const ux = px[b] - px[a], uy = py[b] - py[a], uz = pz[b] - pz[a];
        const vx = px[c] - px[a], vy = py[c] - py[a], vz = pz[c] - pz[a];
        let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        const len = Math.hypot(nx, ny, nz) || 1;
        // no back-face culling: a mirrored part's winding is reversed, so light both sides
        if (nz < 0) { nx = -nx; ny = -ny; nz = -nz; }
        nz /= len; ny /= len; nx /= len;
        const light = 0.35 + 0.65 * Math.max(0, 0.3 * nx - 0.5 * ny + 0.8 * nz);
        tris.push([(pz[a] + pz[b] + pz[c]) / 3, px[a], py[a], px[b], py[b], px[c], py[c], light]);
      }
    }
    tris.sort((p, q) => p[0] - q[0]);
    const ox = width / 2, oy = height / 2;
    for (const [, ax, ay, bx, by, cx, cy2, light] of tris) {
      const g = Math.round(60 + 170 * light);
      ctx.fillStyle = `rgb(${Math.round(g * 0.55)},${Math.round(g * 0.75)},${g})`;
      ctx.strokeStyle = ctx.fillStyle;
      ctx.beginPath();
      ctx.moveTo(ox + ax * scale, oy - ay * scale);
      ctx.lineTo(ox + bx * scale, oy - by * scale);
      ctx.lineTo(ox + cx * scale, oy - cy2 * scale);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }
  }
}
