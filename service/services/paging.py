"""One page of a query's rows with the total count, for every list in the service."""
from sqlalchemy import func, select

from ..extensions import db


def page_of(query, ordering, page, per_page):
    """(rows of page `page`, total rows) of `query` ordered by `ordering`."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    offset = (max(page, 1) - 1) * per_page
    if offset >= total:
        return [], total  # past the last row (also keeps a huge page number out of SQL)
    rows = db.session.scalars(query.order_by(*ordering)
                              .offset(offset).limit(per_page)).all()
    return rows, total
