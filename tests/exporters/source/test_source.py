"""Opening a source database: one clear line when it is unreachable or not Magento."""

from __future__ import annotations

import pytest

from exporters.sample_data import generate
from exporters.source import MagentoSource, NotAMagentoDatabase, SourceUnavailable
from tests.support.databases import KIND_PARAMS


def test_an_unreachable_server_names_the_url_without_its_password() -> None:
    # Given a source on a port where no server listens
    source = MagentoSource("mysql://shop:s3cret@127.0.0.1:1/magento")
    # When it is checked, then it is one line naming the URL without its password, and the fix
    with pytest.raises(SourceUnavailable) as raised:
        source.check()
    message = str(raised.value)
    assert message.startswith("cannot reach the Magento database at mysql://shop:***@127.0.0.1:1/magento: ")
    assert "s3cret" not in message
    assert "\n" not in message
    assert message.endswith("Check SAAS_EXPORT_SOURCE_DB and that the server is running.")


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_a_database_without_magento_tables_lists_what_is_missing(make_db, kind: str) -> None:
    # Given an empty database
    url = make_db(kind)
    # When it is checked as a source, then the missing tables are listed with the way to a sample catalog
    with pytest.raises(NotAMagentoDatabase) as raised:
        MagentoSource(url).check()
    assert "is not a Magento 2.4 catalog database: missing table(s) store, store_website, store_group, " in str(
        raised.value
    )
    assert "saas-export sample-data" in str(raised.value)


def test_scopes_leave_out_the_admin_store(luma_url: str) -> None:
    # Given the real Luma database; when its scopes are read
    scopes = MagentoSource(luma_url).scopes
    # Then the one store view is there without the admin store, with its media URL and edition
    assert [
        (v.store_id, v.code, v.website_code, v.group_code, v.root_category_id) for v in scopes.store_views.values()
    ] == [(1, "default", "base", "main_website_store", 2)]
    assert MagentoSource(luma_url).media_base_url(1) == "https://luma.example.com/media/"
    assert MagentoSource(luma_url).edition.name == "opensource"


@pytest.mark.postgres
@pytest.mark.parametrize("edition", ["opensource", "commerce"])
def test_the_edition_is_told_by_row_id_on_the_product_entity(make_db, edition: str) -> None:
    # Given a sample catalog of either edition in PostgreSQL
    url = make_db("postgres")
    generate(url, "small", products=20, edition=edition)
    # When the source is opened, then it reads the edition from the product entity table
    source = MagentoSource(url)
    assert source.edition.name == edition
    assert source.edition.staged is (edition == "commerce")
