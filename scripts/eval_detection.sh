#!/usr/bin/env bash
# Scores clipper's scene detection against labelled cuts on a corpus this script generates, one
# case per way real footage fools detectors (grey pictures with tint drift, damaged and flash
# pictures beside cuts, fades, dissolves, whip pans, fast motion, low frame-rate animation,
# flicker, similar scenes, noisy low light, cuts through an interlaced or a blended picture). A
# detection matches a labelled cut one-to-one within +-1 frame. Prints precision, recall and F1
# per detector and mode, then every miss and false moment. Exit 0 (a measurement, not a test).
#   scripts/eval_detection.sh [--keep]      the corpus is kept in build/eval-corpus/ with --keep
set -euo pipefail
cd "$(dirname "$0")/.."
clipper=${CLIPPER:-build/src/cli/clipper}  # CLIPPER=path scores another build
[ -x "$clipper" ] || bash scripts/build.sh >/dev/null
corpus=build/eval-corpus
mkdir -p "$corpus"
labels=$corpus/labels.txt
: >"$labels"

# make NAME "CUT CUT..." -filter_complex GRAPH: one case, 320x180 at 25 fps, H.264 with B-frames;
# the graph's output is [v]. CUTS are the 0-based frames that start a new shot.
make() {
  local name=$1 cuts=$2
  shift 2
  echo "$name $cuts" >>"$labels"
  [ -f "$corpus/$name.mp4" ] && return
  ffmpeg -nostdin -v error -y "$@" -map "[v]" -c:v libx264 -preset veryfast -g 50 -bf 3 -pix_fmt yuv420p \
    "$corpus/.tmp.mp4"
  mv "$corpus/.tmp.mp4" "$corpus/$name.mp4"
}
# src SOURCE SECONDS [OPTIONS]: a lavfi source as ffmpeg input arguments.
src() { echo "-f lavfi -t $2 -i $1=s=320x180:r=25${3:+:$3}"; }

# shellcheck disable=SC2046 # src prints words
{
  make grey-tint-drift "75" $(src color 3 c=gray) $(src color 3 c=gray) -filter_complex \
    "[0:v]geq=r='120+4*sin(T*9)':g='120+3*cos(T*7)':b='121+4*sin(T*5+1)',noise=alls=3:allf=t[a];
     [1:v]geq=lum='if(lt(X,W/2),50,170)':cb=128:cr=129,noise=alls=3:allf=t[b];[a][b]concat=n=2:v=1[v]"
  make grey-to-grey "50" $(src color 2 c=gray) $(src color 2 c=gray) -filter_complex \
    "[0:v]geq=lum='X*255/W':cb=128:cr=128[a];[1:v]geq=lum='Y*255/H':cb=128:cr=128[b];[a][b]concat=n=2:v=1[v]"
  make one-palette "50" $(src smptehdbars 2) $(src smptehdbars 2) -filter_complex \
    "[1:v]hflip[b];[0:v][b]concat=n=2:v=1[v]"
  make moving-grid "60" $(src color 2.4) $(src color 2.4) -filter_complex \
    "[0:v]geq=lum='if(mod(floor((X+T*12)/3)+floor(Y/3),2),220,30)':cb=128:cr=128[a];
     [1:v]geq=lum='if(mod(floor(X/5)+floor((Y+T*8)/5),2),200,60)':cb=110:cr=150[b];[a][b]concat=n=2:v=1[v]"
  make damaged-beside-cut "50" $(src testsrc2 2) $(src mandelbrot 2) -filter_complex \
    "[0:v][1:v]concat=n=2:v=1,drawbox=y=60:h=60:w=iw:color=black:t=fill:enable='eq(n,47)',
     drawbox=x=0:w=40:h=ih:color=green:t=fill:enable='eq(n,52)',drawbox=x=120:w=40:h=ih:color=green:t=fill:enable='eq(n,52)'[v]"
  make flash-beside-cut "60" $(src testsrc2 2.4) $(src mandelbrot 2) -filter_complex \
    "[0:v][1:v]concat=n=2:v=1,drawbox=w=iw:h=ih:color=white:t=fill:enable='eq(n,30)+eq(n,58)'[v]"
  make fade-through-black "" $(src testsrc2 2) $(src mandelbrot 2) -filter_complex \
    "[0:v]fade=t=out:st=1.4:d=0.6[a];[1:v]fade=t=in:st=0:d=0.6[b];[a][b]concat=n=2:v=1[v]"
  make dissolve "" $(src testsrc2 2.5) $(src mandelbrot 2.5) -filter_complex \
    "[0:v][1:v]xfade=transition=fade:duration=1:offset=1.5[v]"
  make whip-pan "" -f lavfi -t 3 -i testsrc2=s=1280x180:r=25 -filter_complex \
    "[0:v]crop=320:180:x='min(960,max(0,(t-1)*1900))':y=0[v]"
  make fast-motion "" -f lavfi -t 3 -i "life=s=320x180:r=25:mold=5:ratio=0.3:death_color=#102030:life_color=#f0e060" \
    -filter_complex "[0:v]null[v]"
  make low-fps-animation "50" -f lavfi -t 2 -i testsrc2=s=320x180:r=12 -f lavfi -t 2 -i mandelbrot=s=320x180:r=12 \
    -filter_complex "[0:v]fps=25[a];[1:v]fps=25[b];[a][b]concat=n=2:v=1[v]"
  make flicker-then-cut "50" $(src testsrc2 2) $(src mandelbrot 2) -filter_complex \
    "[0:v]eq=brightness='if(gte(n,20),if(mod(n,2),0.18,-0.18),0)':eval=frame[a];[a][1:v]concat=n=2:v=1[v]"
  make disco-lights "" $(src testsrc2 3) -filter_complex \
    "[0:v]hue=h='mod(n*97,360)':s=1.5,eq=brightness='0.1*sin(n*2.3)':eval=frame[v]"
  make noisy-low-light "50" $(src testsrc2 2) $(src mandelbrot 2) -filter_complex \
    "[0:v][1:v]concat=n=2:v=1,eq=brightness=-0.3,noise=alls=25:allf=t[v]"
  # A cut between the two fields of one picture (50 fields a second woven into 25 pictures), and a
  # cut through a blended picture (30 pictures a second converted to 25 by blending).
  make interlaced-cut "50" -f lavfi -t 2.02 -i testsrc2=s=320x180:r=50 -f lavfi -t 2 -i mandelbrot=s=320x180:r=50 \
    -filter_complex "[0:v][1:v]concat=n=2:v=1,tinterlace=mode=interleave_top[v]"
  make blended-cut "52" -f lavfi -t 2.1 -i testsrc2=s=320x180:r=30 -f lavfi -t 2 -i mandelbrot=s=320x180:r=30 \
    -filter_complex "[0:v][1:v]concat=n=2:v=1,framerate=fps=25:scene=100[v]"
  make plain-cuts "40 70 110" $(src testsrc2 1.6) $(src mandelbrot 1.2) $(src smptehdbars 1.6) $(src rgbtestsrc 1.2) \
    -filter_complex "[0:v][1:v][2:v][3:v]concat=n=4:v=1[v]"
}

python3 - "$clipper" "$corpus" "$labels" <<'EOF'
import json, subprocess, sys, tempfile
clipper, corpus, labels = sys.argv[1:]
cases = []
for line in open(labels):
    name, *cuts = line.split()
    cases.append((name, [int(c) for c in cuts]))
print(f"{len(cases)} cases, {sum(len(c) for _, c in cases)} labelled cuts; a match is one-to-one within +-1 frame\n")
print("| detector | mode | cuts found | false moments | precision | recall | F1 |")
print("|---|---|---:|---:|---:|---:|---:|")
problems = []


# The moments of `clipper analyze`, or (flags None) of the main command decoding each picture once:
# each moment its own clip of one frame, read from the report.
def moments(detector, flags, video):
    if flags is not None:
        out = subprocess.run([clipper, "analyze", "--json", "--detector", detector, *flags, video],
                             capture_output=True, text=True)
        return [m["frame"] for m in json.loads(out.stdout)["videos"][0]["moments"] if not m["fade"]]
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([clipper, "-q", video, "-o", folder, "--report", f"{folder}/report.json", "--detector",
                        detector, "--decode-once", "--pre", "0", "--post", "0.04", "--min-clip", "0", "--preset",
                        "ultrafast"], check=True)
        clips = json.load(open(f"{folder}/report.json"))["clips"]
        return [round(clip["moment"] * 25) for clip in clips if clip["status"] == "ok"]


for detector in ["adaptive", "content", "histogram"]:
    for mode, flags in [("reference-first", []), ("every picture", ["--every-picture"]), ("decode once", None)]:
        tp = fp = fn = 0
        for name, cuts in cases:
            found = moments(detector, flags, f"{corpus}/{name}.mp4")
            left = list(cuts)
            false = []
            for frame in found:
                match = next((c for c in left if abs(c - frame) <= 1), None)
                if match is None:
                    false.append(frame)
                else:
                    left.remove(match)
            tp += len(cuts) - len(left)
            fp += len(false)
            fn += len(left)
            if false or left:
                problems.append(f"{detector}, {mode}, {name}: missed {left or '-'}, false {false or '-'}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"| {detector} | {mode} | {tp} of {tp + fn} | {fp} | {precision:.2f} | {recall:.2f} | {f1:.2f} |")
print()
print("\n".join(problems) if problems else "no miss, no false moment")
EOF
[ "${1:-}" = "--keep" ] || rm -rf "$corpus"
