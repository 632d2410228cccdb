# Sourced by the launchers (./dic4j, ./dic4j-spark): preloads tcmalloc when it is installed. libtorch allocates and
# frees hundreds of MB per training step; glibc's malloc hands those pages back to the kernel and faults them in again
# (half the time of a step goes there), tcmalloc keeps them: a training step runs 4-5x faster (docs/performance.md).
# Debian: libtcmalloc-minimal4. DIC4J_MALLOC=system turns it off.
if [ "${DIC4J_MALLOC:-tcmalloc}" != system ]; then
  for lib in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4 \
             /usr/lib64/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4 /usr/local/lib/libtcmalloc_minimal.so.4; do
    if [ -f "$lib" ]; then
      export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
      break
    fi
  done
fi
