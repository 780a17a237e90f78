// Artifact scanner throughput: the registry's security gate walks every pickle opcode of a model before it
// may be reviewed. Builds two PyTorch-style zips in memory — one whose data.pkl holds its weights inline as
// BINBYTES blobs (what torch.save writes for small models), one opcode-dense (a 2M-float list as CPython writes it:
// MARK, 1000 BINFLOATs, APPENDS; 9 bytes per opcode, the worst case) — and prints MB/s of scanArtifact beside Node's sha256 of the same bytes (every
// download is hashed anyway), and their ratio. Run: npm run bench:artifact-scan (BENCH_SCAN_MB sizes the first).
import { createHash } from 'node:crypto';
import { scanArtifact } from '@mgov/artifact-scan';
import { torchZipOf } from '@mgov/artifact-scan/testing';

const MB = 1e6;
const blobMb = Number(process.env.BENCH_SCAN_MB ?? 200);

function pickleWithBlobs(totalBytes: number): Buffer {
  const blob = Buffer.alloc(1024 * 1024, 7);
  const parts: Buffer[] = [Buffer.from([0x80, 4]), Buffer.from('ccollections\nOrderedDict\n)R', 'latin1')];
  for (let i = 0; i * blob.length < totalBytes; i++) {
    const key = Buffer.from(`layer${i}`);
    const header = Buffer.alloc(5);
    header[0] = 0x42; // BINBYTES
    header.writeUInt32LE(blob.length, 1);
    parts.push(Buffer.from([0x8c, key.length]), key, header, blob, Buffer.from('s', 'latin1'));
  }
  parts.push(Buffer.from('.', 'latin1'));
  return Buffer.concat(parts);
}

/** A list of floats as CPython pickles it: MARK, up to 1000 BINFLOATs, APPENDS, repeated. */
function opcodeDense(floats: number): Buffer {
  const batches: Buffer[] = [Buffer.from([0x80, 4, 0x5d])];
  for (let done = 0; done < floats; done += 1000) {
    const n = Math.min(1000, floats - done);
    const batch = Buffer.alloc(2 + n * 9);
    batch[0] = 0x28; // MARK
    for (let i = 0; i < n; i++) {
      batch[1 + i * 9] = 0x47; // BINFLOAT
      batch.writeDoubleBE((done + i) / 7, 2 + i * 9);
    }
    batch[batch.length - 1] = 0x65; // APPENDS
    batches.push(batch);
  }
  batches.push(Buffer.from('.', 'latin1'));
  return Buffer.concat(batches);
}

function measure(label: string, bytes: Buffer): void {
  const best = (run: () => void) => {
    let fastest = Infinity;
    for (let i = 0; i < 3; i++) {
      const started = process.hrtime.bigint();
      run();
      fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
    }
    return fastest;
  };
  let findings = -1;
  const scan = best(() => {
    findings = scanArtifact(bytes, 'model.pt').findings.length;
  });
  const hash = best(() => createHash('sha256').update(bytes).digest());
  const mb = bytes.length / MB;
  console.log(`${label}: ${mb.toFixed(0)} MB, findings ${findings}`);
  console.log(`  scanArtifact ${(mb / scan).toFixed(0)} MB/s   sha256 (baseline) ${(mb / hash).toFixed(0)} MB/s   ratio scan/sha256 ${(hash / scan).toFixed(2)}`);
}

measure('PyTorch zip, weights inline as BINBYTES', torchZipOf(pickleWithBlobs(blobMb * MB)));
measure('PyTorch zip, opcode-dense (2M BINFLOATs)', torchZipOf(opcodeDense(2_000_000)));
