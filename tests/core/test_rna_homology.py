"""RNA genes by homology to other genomes' RNA genes (genoview/core/models/geneorf/rna_homology.py), on synthetic data."""
import numpy as np
import pytest

from genoview.core.genecalls import GeneCall, reverse_complement
from genoview.core.models.geneorf import rna_homology as rh


def _mutated(rng, codes, substitutions=0.08, indels=6):
    """A relative: ~8 % substitutions and a few short insertions/deletions."""
    out = codes.copy()
    flip = rng.random(len(out)) < substitutions
    out[flip] = (out[flip] + rng.integers(1, 4, flip.sum())) % 4
    out = list(out)
    for _ in range(indels):
        at = int(rng.integers(50, len(out) - 50))
        if rng.random() < 0.5:
            del out[at:at + int(rng.integers(1, 4))]
        else:
            out[at:at] = list(rng.integers(0, 4, int(rng.integers(1, 4))))
    return np.array(out, dtype=np.uint8)


@pytest.fixture(scope="module")
def world():
    rng = np.random.default_rng(7)
    ref16 = rng.integers(0, 4, 1500).astype(np.uint8)
    ref5 = rng.integers(0, 4, 120).astype(np.uint8)
    refs = [rh.Reference("other|16S|1500", "16S", ref16), rh.Reference("other|5S|120", "5S", ref5)]
    gene16 = _mutated(rng, ref16)
    gene5 = _mutated(rng, ref5, indels=0)
    genome = rng.integers(0, 4, 60_000).astype(np.uint8)
    genome[10_000:10_000 + len(gene16)] = gene16                        # 16S on the + strand
    genome[40_000:40_000 + len(gene5)] = reverse_complement(gene5)      # 5S on the - strand
    return refs, genome, len(gene16), len(gene5)


def test_kmer_codes_match_a_plain_count():
    codes = np.array([0, 1, 2, 3, 4, 0, 1, 2, 3, 0, 1], dtype=np.uint8)
    got = rh.kmer_codes(codes, k=3)
    want = []
    for i in range(len(codes)):
        w = codes[i:i + 3]
        want.append(-1 if len(w) < 3 or (w > 3).any() else int(w[0]) * 16 + int(w[1]) * 4 + int(w[2]))
    assert got.tolist() == want


def test_finds_relatives_on_both_strands_with_their_ends(world):
    refs, genome, n16, n5 = world
    hits = rh.find_rna(genome, rh.ReferenceIndex(refs))
    assert [(h.rtype, h.strand) for h in hits] == [("16S", 1), ("5S", -1)]
    assert abs(hits[0].start - 10_000) <= 6 and abs(hits[0].end - (10_000 + n16)) <= 6
    assert abs(hits[1].start - 40_000) <= 3 and abs(hits[1].end - (40_000 + n5)) <= 3


def test_random_sequence_has_no_rrna(world):
    refs, _, _, _ = world
    rng = np.random.default_rng(11)
    assert rh.find_rna(rng.integers(0, 4, 200_000).astype(np.uint8), rh.ReferenceIndex(refs)) == []


def test_covered_bases_are_not_read_and_positions_map_back(world):
    refs, genome, n16, _ = world
    index = rh.ReferenceIndex(refs)
    covered = np.ones(len(genome), dtype=bool)
    covered[9_000:12_000] = False            # only the 16S gap is read
    hits = rh.find_rna(genome, index, covered=covered)
    assert [(h.rtype, h.strand) for h in hits] == [("16S", 1)]
    whole = rh.find_rna(genome, index)[0]
    assert (hits[0].start, hits[0].end) == (whole.start, whole.end)


def test_merge_drops_protein_calls_inside_and_raises_the_track(world):
    refs, genome, n16, _ = world
    track = np.full(len(genome), 0.2, dtype=np.float32)
    inside = GeneCall("s", 10_300, 10_600, -1, 1.0, "ATG")
    outside = GeneCall("s", 20_000, 21_000, 1, 5.0, "ATG")
    calls = rh.apply_rna_homology({"s": genome}, [inside, outside], {"s": track}, refs)
    kinds = sorted((c.kind, c.start) for c in calls)
    assert ("CDS", 10_300) not in kinds and ("CDS", 20_000) in kinds
    assert sum(1 for c in calls if c.kind == "rRNA") == 2
    assert track[10_100:10_000 + n16 - 100].min() > 0.9 and track[30_000] == np.float32(0.2)
    assert rh.apply_rna_homology({"s": genome}, [outside], {"s": track}, None) == [outside]


def test_references_round_trip(tmp_path, world):
    refs, _, _, _ = world
    path = tmp_path / rh.REFERENCES_FILE
    rh.write_references(path, refs)
    back = rh.model_references(tmp_path)
    assert [(r.name, r.rtype, r.codes.tolist()) for r in back] == [(r.name, r.rtype, r.codes.tolist()) for r in refs]
    assert rh.model_references(tmp_path / "nothing") is None


def test_a_trna_relative_is_a_trna_call(world):
    rng = np.random.default_rng(3)
    trna = rng.integers(0, 4, 76).astype(np.uint8)
    refs = [rh.Reference("other|tRNA|76", "tRNA", trna)]
    genome = rng.integers(0, 4, 20_000).astype(np.uint8)
    relative = trna.copy()
    relative[[20, 50]] = (relative[[20, 50]] + 1) % 4     # two substitutions
    genome[5_000:5_076] = relative
    calls = rh.rna_gene_calls({"s": genome}, rh.ReferenceList(refs))
    assert [(c.kind, c.strand, c.start, c.end) for c in calls] == [("tRNA", 1, 5_000, 5_076)]


def test_reference_records_take_one_rrna_per_type_and_distinct_trnas(tmp_path):
    from genoview.core.genome import encode, open_genome

    rng = np.random.default_rng(5)
    seq = rng.integers(0, 4, 8_000).astype(np.uint8)
    seq[3_000:3_076] = seq[1_000:1_076]                   # a second copy of the first tRNA
    text = np.frombuffer(b"ACGT", dtype=np.uint8)[seq].tobytes().decode()
    (tmp_path / "g.fa").write_text(">c\n" + text + "\n")
    rows = [("rRNA", 2001, 3500, "+"), ("rRNA", 4001, 5500, "-"), ("tRNA", 1001, 1076, "-"), ("tRNA", 3001, 3076, "-"),
            ("tRNA", 6001, 6080, "+")]
    gff = "##gff-version 3\n##sequence-region c 1 8000\n" + "".join(
        f"c\tt\t{kind}\t{a}\t{b}\t.\t{s}\t.\tID=x{i}\n" for i, (kind, a, b, s) in enumerate(rows))
    (tmp_path / "g.gff3").write_text(gff)
    with open_genome(tmp_path / "g.fa", tmp_path / "g.gff3") as genome:
        codes = {"c": encode(genome.sequences["c"].fetch(0, 8_000))}
        refs = rh.reference_records([("g", genome, codes)])
    assert sorted(r.name for r in refs) == ["g|16S|1500", "g|tRNA|76", "g|tRNA|80"]
    trna = next(r for r in refs if r.name == "g|tRNA|76")
    assert trna.codes.tolist() == reverse_complement(seq[1_000:1_076]).tolist()


def test_short_sequences_and_empty_references_are_harmless(world):
    refs, _, _, _ = world
    index = rh.ReferenceIndex(refs)
    assert rh.find_rna(np.array([0, 1, 4, 2], dtype=np.uint8), index) == []
    assert rh.find_rna(np.zeros(0, dtype=np.uint8), index) == []
    assert rh.find_rna(np.full(5_000, 4, dtype=np.uint8), index) == []
    call = GeneCall("s", 10, 200, 1, 2.0, "ATG")
    assert rh.apply_rna_homology({"s": np.zeros(300, dtype=np.uint8)}, [call], {}, rh.ReferenceList()) == [call]
    assert rh.ReferenceIndex([]).hits(np.zeros(100, dtype=np.uint8))[0].size == 0
    short = rh.ReferenceList([rh.Reference("x|tRNA|8", "tRNA", np.zeros(8, dtype=np.uint8))])   # under a seed
    assert rh.SubstitutionHomology(np.zeros(300, dtype=np.uint8), short).after(150, 2) == []


def test_references_in_the_rna_alphabet_or_lower_case_read_as_dna(tmp_path, world):
    """SILVA and Rfam write rRNA with U (and some files in lower case): read as T, not as N (every seed lost, the
    reference silently useless)."""
    refs, genome, _, _ = world
    text = "".join("ACGU"[c] for c in refs[0].codes)
    path = tmp_path / rh.REFERENCES_FILE
    path.write_text(f">silva|16S|{len(text)}\n{text[:700].lower()}\n{text[700:]}\n")
    back = rh.read_references(path)
    assert back[0].codes.tolist() == refs[0].codes.tolist()


def test_a_references_file_without_a_header_names_its_line(tmp_path):
    from genoview.core.errors import GenoViewInputError

    path = tmp_path / rh.REFERENCES_FILE
    path.write_text("ACGTACGTACGT\n>x|tRNA|76\n" + "A" * 76 + "\n")
    with pytest.raises(GenoViewInputError, match="line 1"):
        rh.read_references(path)


def test_substitutions_give_the_genes_of_the_whole_mutated_sequence(world):
    """SubstitutionHomology (the mutagenesis panel's local track) equals find_rna over the whole mutated sequence:
    a 1-base deletion 22 bases into a gene puts its first seeds on another diagonal, so a substitution that kills
    them moves the gene's start; substitutions far away, inside seeds, and at the sequence's ends."""
    refs, genome, n16, _ = world
    rng = np.random.default_rng(3)
    reference = rng.integers(0, 4, 1500).astype(np.uint8)
    assert reference[21] != reference[22]
    refs = rh.ReferenceList(refs + [rh.Reference("o|16S|1500", "16S", reference)])
    codes = np.concatenate([genome, np.concatenate([reference[:22], reference[23:]]), genome[:3_000]])
    a = len(genome)
    covered = np.zeros(len(codes), dtype=bool)
    covered[20_000:30_000] = True
    local = rh.SubstitutionHomology(codes, refs, covered)
    index = refs.seed_index

    def genes(hits):
        return [(h.start, h.end, h.strand, h.rtype, round(h.cover, 9)) for h in hits]

    positions = [a + 10, a + 3, a + 700, a - 5, 10_005, 10_600, 40_050, 25_000, 0, len(codes) - 1]
    moved = 0
    for p in positions:
        for base in range(4):
            mutated = codes.copy()
            mutated[p] = base
            want = genes(rh.find_rna(mutated, index, covered=covered))
            assert genes(local.after(p, base)) == want, (p, base)
            moved += want != genes(local.genes)
    assert moved >= 3     # the start moved, and covers changed


def test_rrna_calls_say_which_rrna_in_gff3_and_in_the_view(world):
    """A biologist reads '16S rRNA' / product=16S ribosomal RNA, not 'rRNA 4109'."""
    import io

    from genoview.core import genecalls

    refs, genome, n16, n5 = world
    calls = rh.rna_gene_calls({"s": genome}, rh.ReferenceList(refs))
    assert sorted((c.product, c.label) for c in calls) == [("16S ribosomal RNA", "16S rRNA"),
                                                           ("5S ribosomal RNA", "5S rRNA")]
    out = io.StringIO()
    genecalls.write_gff3(out, calls, {"s": len(genome)})
    text = out.getvalue()
    assert "product=16S ribosomal RNA" in text and "Name=16S_rRNA" in text and "\trRNA\t" in text
    assert GeneCall("s", 0, 90, 1, 1.0, "ATG").label == "CDS"   # protein genes keep their kind
