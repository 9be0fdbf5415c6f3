"""Projects: start one, list those the caller may see, show one."""
from flask import g
from .paged import Blueprint, set_page

from ..services.approval import projects
from .schemas import ProjectCreateSchema, ProjectQuerySchema, ProjectSchema, ProjectSummarySchema
from .security import BEARER, auth_required

blp = Blueprint("api_projects", __name__, url_prefix="/api/v1/projects",
                description="Statutory approval projects")


def _full(project):
    project.current_steps = projects.open_tasks(project)
    project.history = projects.history(project)
    return project


@blp.route("", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ProjectCreateSchema())
@blp.response(201, ProjectSchema)
def create(body):
    """A district office starts a statutory approval for its district."""
    return _full(projects.start_project(g.user, body["name"], body["process"]))


@blp.route("", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ProjectQuerySchema(), location="query")
@blp.response(200, ProjectSummarySchema(many=True))
@blp.paginate()
def index(query, pagination_parameters):
    """Projects the caller may see, newest first (paging in X-Pagination)."""
    found = projects.list_projects(g.user, page=pagination_parameters.page,
                                   per_page=pagination_parameters.page_size, **query)
    set_page(pagination_parameters, found)
    return found.rows


@blp.route("/<int:project_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, ProjectSchema)
def show(project_id):
    """One project: fields, status, open steps, process version and history."""
    return _full(projects.get_project(g.user, project_id))
