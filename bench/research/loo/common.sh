# Sourced by fits.sh, run.sh and seed2.sh (run from the repository root): the data and output folders, the
# one-thread interpreter, the six real training genomes T, the three GC-shifted copies C3, and `less LIST NAME`
# (LIST, comma-separated, without NAME).
DATA=${DATA:-/tmp/gc_shift/data}; OUT=${OUT:-/tmp/loo}
export OMP_NUM_THREADS=1
P="nice -n 10 .venv/bin/python"
T=ecoli,staphylococcus_aureus_COL,haemophilus_influenzae_RdKW20,yersinia_pestis_KIM,neisseria_meningitidis_MC58,methanococcus_maripaludis_S2
C3=ecoli_gc,yersinia_pestis_KIM_gc,neisseria_meningitidis_MC58_gc
less() { echo "$1" | tr , '\n' | grep -vx "$2" | paste -sd, -; }
