"""Search at province scale on PostgreSQL: 500 courses, 50 libraries, 100,000 resources.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg_se_bench .venv/bin/python tests/perf/search_bench.py

Migrates the named database (its name must contain ``bench``: the search store is emptied there) and,
once, bulk-inserts the documents and their facet values directly (through the same ``search.text`` term
builders the indexer uses); later runs reuse them (``--fresh`` regenerates). Then times typical learner
queries with facets through ``search.api.search`` and prints p50/p95 beside a plain indexed lookup by
key measured in the same run. Target: p95 <= 100 ms. Options: ``--resources N``, ``--repeat N``.
"""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from search import api, text  # noqa: E402
from search.models import IndexedDocument, IndexedFacet, IndexedFacetValue  # noqa: E402
from tests.perf.timing import percentiles  # noqa: E402

INDUSTRIES = [
    ("cattle", "牛", "肉牛"), ("sheep", "羊", "肉羊"), ("vegetable", "菜", "高原夏菜"), ("fruit", "果", "苹果"),
    ("potato", "薯", "马铃薯"), ("herb", "药", "中药材"), ("tourism", "文化旅游", "乡村旅游"),
    ("logistics", "通道物流", "冷链物流"), ("energy", "清洁能源", "光伏发电"), ("data", "数据信息", "电子商务"),
]
TOPICS = ["养殖技术", "疫病防治", "种植管理", "加工工艺", "市场营销", "质量检测", "设施建设", "安全生产",
          "标准化生产", "品牌建设"]
FORMS = ["教学视频", "实训指导书", "课件", "案例分析", "微课", "习题", "图片素材", "动画演示"]
SENTENCES = [
    "本资源介绍{w}的基本原理和操作要点。", "学员通过实训掌握{w}的关键环节。",
    "结合甘肃特色产业讲解{w}。",
    "适用于高素质农民培训和职业院校教学。", "内容包括理论讲解、现场演示和考核评价。", "重点说明{w}中的常见问题及对策。",
]
LEVELS = [("secondary", "中职"), ("higher", "高职"), ("bachelor", "职业本科"), ("social", "社会培训")]
TYPES = [("video", "视频"), ("document", "文档"), ("courseware", "课件"), ("image", "图片"), ("audio", "音频")]
CLUSTERS = [("longzhong", "陇中"), ("hexi", "河西走廊"), ("longdongnan", "陇东南")]
PROGRAMS = [("gaosuzhi", "高素质农民"), ("qiaoshou", "陇原巧手"), ("yuesao", "陇原月嫂"), ("yulu", "雨露计划")]
CERTS = [(f"cert-{i}", f"1+X证书{i}") for i in range(20)]
INSTITUTIONS = [(f"inst-{i}", f"甘肃职业学院{i}") for i in range(60)]
QUERIES = [
    ("养殖", {}), ("niu", {}), ("yangzhi", {}), ("马铃薯 种植", {"level": ["higher"]}),
    ("中药材", {"kind": ["course"]}),
    ("疫病防治", {"industry": ["cattle", "sheep"]}), ("kj", {}), ("冷链物流 课件", {}),
    ("", {"resource_type": ["video"]}),
    ("苹果 品牌", {"institution": ["inst-3"]}), ("shipin", {}),
    ("光伏", {"kind": ["resource"], "level": ["social"]}),
    ("", {}),
]


@cache
def title_terms(title):
    return text.title_terms(title), text.pinyin_terms(title)


@cache
def sentence_terms(sentence):
    return text.body_terms(sentence)


def dictionary() -> dict[tuple[str, str], int]:
    """Every facet value the generator uses, stored once (counts are recounted after the load)."""
    values = [("kind", kind, kind) for kind in ("course", "library", "resource")]
    values += [("industry", code, name) for code, name, _word in INDUSTRIES]
    for name, pairs in [("level", LEVELS), ("resource_type", TYPES), ("cluster", CLUSTERS), ("program", PROGRAMS),
                        ("certificate", CERTS), ("institution", INSTITUTIONS)]:
        values += [(name, value, label) for value, label in pairs]
    IndexedFacetValue.objects.bulk_create([IndexedFacetValue(name=n, value=v, label=label) for n, v, label in values])
    return {(n, v): pk for pk, n, v in IndexedFacetValue.objects.values_list("id", "name", "value")}


def build(n_resources, n_courses=500, n_libraries=50, seed=7):
    rng = random.Random(seed)
    ids = dictionary()
    start = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    kinds = [("course", n_courses), ("library", n_libraries), ("resource", n_resources)]
    n = 0
    for kind, count in kinds:
        docs, facets = [], []
        for _ in range(count):
            n += 1
            code, name, word = rng.choice(INDUSTRIES)
            title = f"{word}{rng.choice(TOPICS)}" + (rng.choice(FORMS) if kind == "resource" else "")
            sentences = [rng.choice(SENTENCES).format(w=word) for _ in range(3)]
            t_terms, p_terms = title_terms(title)
            docs.append(IndexedDocument(
                key=f"bench:{n}", kind=kind, title=title, url=f"/x/{n}/", summary="".join(sentences),
                published_at=start + timedelta(minutes=n), title_terms=t_terms, pinyin_terms=p_terms,
                body_terms=" ".join(sentence_terms(s) for s in sentences),
            ))
            values = [("kind", kind, kind), ("industry", code, name), ("institution", *rng.choice(INSTITUTIONS))]
            if kind != "library":
                values.append(("level", *rng.choice(LEVELS)))
            if kind == "resource":
                values.append(("resource_type", *rng.choice(TYPES)))
            else:
                values += [("cluster", *rng.choice(CLUSTERS)), ("program", *rng.choice(PROGRAMS)),
                           ("certificate", *rng.choice(CERTS))]
            facets.append(values)
            docs[-1].facet_ids = sorted(ids[(name, value)] for name, value, _label in values)
            if len(docs) == 5000:
                _flush(docs, facets)
                docs, facets = [], []
        _flush(docs, facets)
    api.recount_facet_values()
    with connection.cursor() as cursor:
        # what autovacuum does on a live server: statistics and the visibility map for index-only scans
        cursor.execute("VACUUM ANALYZE lms_search_indexeddocument")
        cursor.execute("VACUUM ANALYZE lms_search_indexedfacet")
        cursor.execute("VACUUM ANALYZE lms_search_indexedfacetvalue")
    return n


def _flush(docs, facets):
    created = IndexedDocument.objects.bulk_create(docs)
    IndexedFacet.objects.bulk_create([
        IndexedFacet(document_id=doc.pk, name=name, value=value, label=label)
        for doc, values in zip(created, facets, strict=True) for name, value, label in values
    ], batch_size=5000)


def prepare(args) -> int:
    """Migrate, and generate the documents unless this database already holds exactly this dataset."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    expected = 500 + 50 + args.resources
    stored = IndexedDocument.objects.count()
    if stored == expected and IndexedFacetValue.objects.exists() and not args.fresh:
        print(f"reusing the {stored:,} documents already generated (--fresh to regenerate)")
        return stored
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {IndexedDocument._meta.db_table}, {IndexedFacetValue._meta.db_table} CASCADE")
    began = time.perf_counter()
    total = build(args.resources)
    print(f"inserted {total:,} documents in {time.perf_counter() - began:.1f} s")
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="regenerate the documents")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench', e.g. "
                 "postgres://postgres@127.0.0.1:5432/sg_se_bench (its search store is replaced).")
    total = prepare(args)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    keys = [f"bench:{random.randint(1, total)}" for _ in range(args.repeat)]
    _, _ = percentiles(lambda: api.search("养殖"), 3)  # warm caches (jieba, PostgreSQL buffers)
    base_p50, base_p95 = percentiles(lambda: IndexedDocument.objects.filter(key=keys.pop()).first(), args.repeat)
    print(f"{'baseline: indexed lookup by key':44s} p50 {base_p50:7.2f} ms  p95 {base_p95:7.2f} ms  (1.0x)")
    worst = 0.0
    for query, filters in QUERIES:
        results = api.search(query, filters=filters)
        p50, p95 = percentiles(lambda q=query, f=filters: api.search(q, filters=f), args.repeat)
        worst = max(worst, p95)
        label = f"{query or '(all)'} {filters or ''}"
        print(f"{label[:40]:40s} {results.total:>6} hits  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
              f"({p50 / base_p50:.1f}x / {p95 / base_p95:.1f}x baseline)")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    verdict = "OK" if worst <= 100 else "OVER TARGET"
    print(f"worst p95 {worst:.1f} ms (target <= 100 ms): {verdict}")


if __name__ == "__main__":
    main()
