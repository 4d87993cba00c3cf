/**
 * The write-ahead log: Raft entries, hard state and snapshots on disk, with group commit.
 *
 * <h2>Why a plain {@code FileChannel} log and not Chronicle Queue</h2>
 * Measured on this machine (2-core VM, ext4 on virtio, Java 17), the same run, record sizes and
 * batch sizes for all three (scratch probe, kept as the JMH benchmark
 * {@code io.kplane.bench.wal.WalSyncBenchmark}):
 * <pre>
 *                                    4 KiB x1        256 B x64        256 B x1024
 *   FileChannel, preallocated file   10,200 syncs/s  8,500 syncs/s    7,000 syncs/s (7.2 M rec/s)
 *   FileChannel, growing file         5,800 syncs/s  5,000 syncs/s    2,200 syncs/s (2.2 M rec/s)
 *   Chronicle Queue, SyncMode.SYNC    5,100 syncs/s  2,400 syncs/s      960 syncs/s (1.0 M rec/s)
 *   Chronicle Queue, default          44,000-150,000 "syncs"/s: its default SyncMode is NONE, so
 *                                     appender.sync() does not reach the disk at all
 * </pre>
 * For fsync'd group commit the preallocated {@code FileChannel} log is 2-7x better: one
 * {@code write} of the whole batch plus one {@code fdatasync} that, thanks to preallocation,
 * only flushes data blocks (no block allocation, no size change to journal), whereas Chronicle's
 * durable mode is an {@code msync} of the mapped region and its default silently skips it. A
 * Raft log is also append-with-truncation, which a queue does not model (overwriting a conflicting
 * suffix), and recovery needs per-record checksums that we control.
 *
 * <p>The resulting group commit costs what the disk's own {@code fdatasync} costs: with floor and
 * WAL measured in alternating 500 ms slices on the same disk ({@code kplane bench wal}, 20 rounds,
 * medians, 256-byte entries; a very busy machine, load average ~22 on 2 cores, so the absolute
 * rates are low), WAL group commits per second / 4 KiB fdatasyncs per second was
 * 1.09 (batch 1), 1.01 (8), 1.08 (64), 0.93 (256), 0.99 (1024) — 185,000 entries/s at batch 1024
 * while the disk managed 176 syncs/s.
 *
 * <h2>On-disk format</h2>
 * {@code DIR/wal/<seq>.wal} segments, preallocated (zero-filled, off the agent thread) to
 * {@link io.kplane.wal.WriteAheadLog#DEFAULT_SEGMENT_BYTES}. A 32-byte header (magic, sequence,
 * CRC32C), then records: {@code u32 length | u32 crc | u8 type | payload}. The CRC32C covers the
 * previous record's CRC (a chain seeded per segment), the type and the payload, so a stale record
 * left in the file can never validate in a new position. Types: entry (index, term, entry type,
 * data), hard state (term, vote, commit), snapshot marker (index, term). Each new segment begins by
 * restating the snapshot marker and the hard state, so older segments can be deleted once a
 * snapshot covers their entries. {@code DIR/snap/<term>-<index>.snap}: see
 * {@link io.kplane.wal.SnapshotStore}.
 *
 * <h2>Recovery</h2>
 * Segments are replayed in order. Entries follow Raft's append rule: an index at or below the last
 * one overwrites that suffix (a conflicting suffix replaced by a newer leader). A record that does
 * not validate (bad length, checksum mismatch, non-zero bytes after an empty header) is the torn
 * final write of a crash only if it is in the last segment and shows what an unfinished write
 * leaves: it runs past the end of the file, or one of the 512-byte sector-aligned pieces of its body
 * (after length and checksum, whose leading bytes are zero for any small record) is still all zeros
 * (the file was preallocated zero-filled; etcd's {@code isTornEntry} rule). Only then are
 * it and everything after it (the rest of that same unsynced batch) dropped and zeroed. Any other
 * mismatch — a flipped bit in a synced record, damage followed by synced records, entries or votes,
 * damage in a completed segment, a missing segment, a hole between the snapshot and the first
 * entry — is reported as {@link io.kplane.wal.WalCorruptedException} and the member refuses to
 * start, changing nothing on disk (as etcd refuses with {@code ErrCRCMismatch}). The snapshot used
 * is the newest one named by a marker whose file is intact.
 *
 * <p>A snapshot received from the leader is installed with {@code installSnapshot}: its file is
 * written and synced first, its marker is buffered and reaches the disk in the same write and sync
 * as the hard state that commits it, so no crash leaves a marker ahead of its hard state. (Data dirs
 * written before that are repaired at start: a hard state behind the snapshot is raised to it.)
 * New {@code wal/} and {@code snap/} directories are fsynced into their parents when created.
 *
 * <h2>Durability</h2>
 * {@link io.kplane.wal.WalSyncMode#FSYNC} (default): {@code sync()} returns only after
 * {@code fdatasync}; the runtime syncs before sending any message (votes and append responses
 * included) and before acknowledging clients. {@link io.kplane.wal.WalSyncMode#NO_FSYNC} exists
 * for benchmarks that print that they use it.
 */
package io.kplane.wal;
