"""Mutations of the V3 standard collection parameters: filters, sorters, paging, count, detail."""

from __future__ import annotations

from typing import Any

from mutation_kit import Mutation, rule

COLLECTIONS = "conformance/test_collections.py"


# One list is enough for a verdict: the campaigns' (both lists share the query engine).
def _on_campaigns(test: str) -> str:
    return f"{COLLECTIONS}::{test}[getActiveCampaigns]"


FILTERS = _on_campaigns("test_each_documented_filter_returns_only_matching_items")
UNDOCUMENTED_FILTERS = _on_campaigns("test_undocumented_fields_operators_and_bad_syntax_are_400")
SORTERS = _on_campaigns("test_sorters_ascending_descending_and_multi_key")
PAGES = _on_campaigns("test_pages_concatenate_without_gaps_or_duplicates")
COUNT_AND_LIMIT = _on_campaigns("test_count_is_the_filtered_total_and_limit_is_bounded")
SLIM = f"{COLLECTIONS}::test_slim_is_the_default_and_full_adds_the_campaign_fields"


# run_collection_query looks `page`, `sort_items` up in its module, evaluate() looks
# `_match_value` up in its; the list operations look `run_collection_query` and `FILTER_FIELDS`
# up in campaigns/templates. Replacing those module attributes reaches every list.
def _name_sw_ignored() -> None:
    from emulator.domain import filter_expressions

    original = filter_expressions._match_value

    def match_value(op: str, actual: Any, expected: Any) -> bool:
        return True if op == "sw" else original(op, actual, expected)

    filter_expressions._match_value = match_value


def _status_filter_ignored() -> None:
    """Any comparison on status matches; the list operations reach `evaluate` through
    collection_query's name for it, and evaluate() recurses through its module's name."""
    from emulator.domain import collection_query, filter_expressions
    from emulator.domain.filter_ast import Comparison, ListComparison

    original = filter_expressions.evaluate

    def evaluate(node: Any, item: Any) -> bool:
        if isinstance(node, Comparison | ListComparison) and node.field == "status":
            return True
        return original(node, item)

    filter_expressions.evaluate = collection_query.evaluate = evaluate


def _undocumented_filter_accepted() -> None:
    from emulator.domain import campaigns

    campaigns.FILTER_FIELDS = {**campaigns.FILTER_FIELDS, "type": {"eq"}}


def _sorters_reversed() -> None:
    from emulator.domain import collection_query as query

    original = query.sort_items

    def sort_items(items: Any, keys: Any) -> list:
        return original(items, [query.SortKey(k.field, not k.descending) for k in keys])

    query.sort_items = sort_items


def _secondary_sorter_ignored() -> None:
    from emulator.domain import collection_query as query

    original = query.sort_items
    query.sort_items = lambda items, keys: original(items, keys[:1])


def _offset_plus_one() -> None:
    from emulator.domain import collection_query as query

    original = query.page
    query.page = lambda items, limit=250, offset=0: original(items, limit, offset + 1)


def _nonzero_offset_plus_one() -> None:
    from emulator.domain import collection_query as query

    original = query.page
    query.page = lambda items, limit=250, offset=0: original(items, limit, offset and offset + 1)


def _limit_above_250_accepted() -> None:
    """Both gates go: the spec's maximum (request validation) and the domain's bound."""
    import emulator.pipeline
    from emulator.domain import collection_query as query

    original = emulator.pipeline.validate

    def validate(contract: Any, path: Any, query_params: Any, *rest: Any) -> Any:
        params = dict(query_params)
        if params.get("limit", "").isdigit() and int(params["limit"]) > query.MAX_LIMIT:
            params["limit"] = str(query.MAX_LIMIT)  # answered as if 250 was asked: accepted
        return original(contract, path, params, *rest)

    emulator.pipeline.validate = validate


def _total_count_before_filtering() -> None:
    from emulator.domain import campaigns, templates

    for module in (campaigns, templates):
        original = module.run_collection_query

        def run(items: Any, *args: Any, original: Any = original, **kw: Any) -> tuple[list, int]:
            items = list(items)
            page, _ = original(items, *args, **kw)
            return page, len(items)

        module.run_collection_query = run


def _slim_default_is_full() -> None:
    from emulator.domain import campaigns

    original = campaigns.public_view
    campaigns.public_view = lambda document, detail="FULL": original(document, "FULL")


MUTATIONS = [
    Mutation(
        name="filter-name-sw-ignored",
        does="answers `name sw` as if every item matched",
        apply=_name_sw_ignored,
        caught_by=rule("filters"),
        selection=(FILTERS,),
    ),
    Mutation(
        name="filter-status-ignored",
        does="answers `status eq` / `status in` as if every campaign matched",
        apply=_status_filter_ignored,
        caught_by=rule("filters"),
        selection=(FILTERS,),
    ),
    Mutation(
        name="filter-undocumented-field-accepted",
        does="accepts `type eq` on campaigns (undocumented: must be 400)",
        apply=_undocumented_filter_accepted,
        caught_by=rule("filters"),
        selection=(UNDOCUMENTED_FILTERS,),
    ),
    Mutation(
        name="sorters-reversed",
        does="sorts ascending for `-field` and descending for `field`",
        apply=_sorters_reversed,
        caught_by=rule("sorters"),
        selection=(SORTERS,),
    ),
    Mutation(
        name="secondary-sorter-ignored",
        does="sorts by the first sorter only",
        apply=_secondary_sorter_ignored,
        caught_by=rule("sorters"),
        selection=(SORTERS,),
    ),
    Mutation(
        name="paging-skips-one-per-page",
        does="skips one item at every non-zero offset",
        apply=_nonzero_offset_plus_one,
        caught_by=rule("paging"),
        selection=(PAGES,),
    ),
    Mutation(
        name="paging-offset-plus-one",
        does="starts every page one item late, the first one too",
        apply=_offset_plus_one,
        caught_by=rule("paging"),
        selection=(PAGES,),
    ),
    Mutation(
        name="limit-above-250-accepted",
        does="accepts limit=251 (documented bound: 250)",
        apply=_limit_above_250_accepted,
        caught_by=rule("limit"),
        selection=(COUNT_AND_LIMIT,),
    ),
    Mutation(
        name="total-count-before-filtering",
        does="counts X-Total-Count before filtering",
        apply=_total_count_before_filtering,
        caught_by=rule("count"),
        selection=(COUNT_AND_LIMIT,),
    ),
    Mutation(
        name="slim-default-is-full",
        does="lists FULL campaigns when no detail is asked",
        apply=_slim_default_is_full,
        caught_by=rule("detail"),
        selection=(SLIM,),
    ),
]
