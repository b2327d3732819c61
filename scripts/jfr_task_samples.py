#!/usr/bin/env python3
"""Samples of a job's Spark task threads per category, from a JFR recording (issue 16).

    VITEX_JAVA_OPTS="-XX:StartFlightRecording=filename=run.jfr,settings=profile" scripts/vitex run ...
    python3 scripts/jfr_task_samples.py run.jfr [more.jfr ...]

Runs `jfr print --stack-depth 120` (the JDK's jfr on PATH) for jdk.ExecutionSample and
jdk.NativeMethodSample, keeps the samples of threads named "Executor task launch worker", and counts
each once under the first category that one of its frames matches, from the top frame down (so a
model call made inside the Parquet writer's iterator counts as the model, not as Parquet). Also
counts the processes started (jdk.ProcessStart) by command.
"""
import collections
import subprocess
import sys

CATEGORIES = [
    ("process fork (chmod/ls)", ["ProcessImpl", "org.apache.hadoop.util.Shell"]),
    ("Hadoop Configuration", ["org.apache.hadoop.conf.Configuration"]),
    ("task deserialisation (other)", ["JavaDeserializationStream"]),
    ("sha256", ["sun.security.provider.SHA", "MessageDigest"]),
    ("decode + preprocess", ["javax.imageio", "dev.vitex.core.image", "com.twelvemonkeys", "java.awt.image"]),
    ("model (DJL/libtorch)", ["ai.djl"]),
    ("Hadoop file system (other)", ["org.apache.hadoop.fs"]),
    ("row conversion + RowEncoder", ["serializefromobject", "dev.vitex.jobs.output.UnitArrays", "ExpressionEncoder",
                                     "SerializeFromObject", "MapPartitionsExec", "dev.vitex.jobs.output.RowEncoder",
                                     "CollectionConverters", "RDDScanExec", "SpecificUnsafeProjection",
                                     "InterpretedUnsafeProjection", "UnsafeArrayData"]),
    ("core pipeline/methods (Java)", ["dev.vitex.core"]),
    ("Parquet read (commit's split jobs)", ["VectorizedParquetRecordReader", "FileScanRDD", "ParquetFileFormat",
                                            "VectorizedRleValuesReader"]),
    ("Parquet write", ["org.apache.parquet", "ParquetOutputWriter", "FileFormatDataWriter", "ParquetWriteSupport"]),
]


def events(text):
    """(thread, frames, command) per event of `jfr print` output."""
    event = None
    for line in text.splitlines():
        if line.startswith("jdk."):
            event = {"thread": "", "frames": [], "command": ""}
        elif event is None:
            continue
        elif "sampledThread = " in line or "eventThread = " in line:
            event["thread"] = line.split("=", 1)[1]
        elif line.strip().startswith("command = "):
            event["command"] = line.split("=", 1)[1].strip().strip('"').split(" ")[0]
        elif line.startswith("    ") and not line.strip().startswith("]"):
            event["frames"].append(line.strip())
        elif line.startswith("}"):
            yield event
            event = None


def category(frames):
    for frame in frames:
        for name, patterns in CATEGORIES:
            if any(p in frame for p in patterns):
                return name
    return "other"


def jfr_print(recording, event):
    return subprocess.run(["jfr", "print", "--stack-depth", "120", "--events", event, recording],
                          check=True, capture_output=True, text=True).stdout


def main(recordings):
    for recording in recordings:
        print(recording)
        for event in ("jdk.ExecutionSample", "jdk.NativeMethodSample"):
            counts = collections.Counter()
            for e in events(jfr_print(recording, event)):
                if "Executor task launch worker" in e["thread"]:
                    counts[category(e["frames"])] += 1
            total = sum(counts.values())
            print(f"  {event}: {total} task-thread samples")
            for name, n in counts.most_common():
                print(f"    {name:38s} {n:6d} {100.0 * n / max(total, 1):5.1f} %")
        commands = collections.Counter(e["command"] for e in events(jfr_print(recording, "jdk.ProcessStart")))
        print("  processes started:", dict(commands.most_common()))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
