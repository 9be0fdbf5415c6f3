"""Lists paged by cursor as well as by page number: the X-Pagination header also carries
`next_cursor` (pass it back as `cursor` for the next page) and `total_capped` (the total is
counted up to a cap, services/paging.py, and more rows exist)."""
import json

from flask_smorest import Blueprint as _Blueprint
from marshmallow import fields, validate


def cursor_field():
    """The `cursor` query parameter of a paged list."""
    return fields.String(validate=validate.Length(max=2000), metadata={
        "description": "next_cursor from the previous page's X-Pagination header: the page "
                       "after it, read by key (as fast deep in the list as at its start)"})


def set_page(pagination_parameters, found):
    """Tell the pagination header about a `paging.Page`."""
    pagination_parameters.item_count = found.total
    pagination_parameters.next_cursor = found.next_cursor
    pagination_parameters.total_capped = found.capped


class Blueprint(_Blueprint):
    """flask-smorest's Blueprint whose X-Pagination header adds next_cursor and total_capped."""

    def _set_pagination_metadata(self, page_params, result, headers):
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        metadata = json.loads(headers[self.PAGINATION_HEADER_NAME])
        capped = getattr(page_params, "total_capped", False)
        next_cursor = getattr(page_params, "next_cursor", None)
        if capped:
            metadata["total_capped"] = True
            if next_cursor and "next_page" not in metadata and "page" in metadata:
                metadata["next_page"] = page_params.page + 1  # more rows than the cap
        if next_cursor:
            metadata["next_cursor"] = next_cursor
        headers[self.PAGINATION_HEADER_NAME] = json.dumps(metadata)
        return result, headers
