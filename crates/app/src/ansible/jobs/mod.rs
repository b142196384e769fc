//! `/api/playbooks/execute` and `/api/playbooks/jobs…`: queue a job, list and read jobs,
//! cancel one, and read a playbook's output from a byte offset (DESIGN §3.4).

mod events;
mod wire;

use super::list;
use crate::http::area::Area;
use crate::http::wire::{Envelope, Paged};
use crate::http::{ApiError, JsonBody, ListQuery, blocking};
use crate::routes::{Op, RouteTable, one_of, typed};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use ansible_core::catalog::{CatalogStore, InventoryId, PlaybookId};
use ansible_core::jobs::{
    ExecuteRequest, JobError, JobId, JobQuery, JobService, JobStatus, JobStore,
};
use ansible_syntax::Value as AnsibleValue;
use utoipa::openapi::schema::Type;
use wire::{ExecuteBody, JobAccepted, JobBody, JobDetailBody, JobSummaryBody};

type Service<S> = web::Data<JobService<S, S>>;

fn job_id(raw: &str) -> Result<JobId, ApiError> {
    JobId::parse(raw).ok_or_else(|| JobError::JobNotFound(raw.to_owned()).into())
}

fn request(body: ExecuteBody) -> Result<ExecuteRequest, JobError> {
    let extra_vars = body
        .extra_vars
        .map(serde_json::from_value::<AnsibleValue>)
        .transpose()
        .map_err(|e| JobError::field("extraVars", e))?;
    ExecuteRequest::parse(body.playbook_ids, body.inventory_id, extra_vars)
}

async fn execute<S: JobStore + CatalogStore>(
    service: Service<S>,
    body: JsonBody<ExecuteBody>,
) -> Result<HttpResponse, ApiError> {
    let job = blocking(move || service.execute(request(body.0)?)).await?;
    let body = Envelope::new(JobAccepted::from(&job), "Playbook 執行已排程");
    Ok(HttpResponse::Accepted().json(body))
}

fn status_filter(raw: &str) -> Result<JobStatus, ApiError> {
    JobStatus::parse(raw.trim()).ok_or_else(|| {
        ApiError::validation("status: must be one of: queued, running, completed, failed, canceled")
    })
}

fn id_filter(query: &ListQuery, camel: &str, snake: &str) -> Result<Option<i64>, ApiError> {
    let name = if query.text(camel).is_some() {
        camel
    } else {
        snake
    };
    Ok(query.parsed::<i64>(name, "an integer")?)
}

/// A page of job summaries: no `extraVars`, no output, so that a page's size is bounded
/// by `per_page` whatever the jobs hold.
async fn jobs<S: JobStore>(
    req: HttpRequest,
    service: Service<S>,
) -> Result<web::Json<Envelope<Paged<JobSummaryBody>>>, ApiError> {
    let query = ListQuery::from_request(&req)?;
    let page = list::page(&query)?;
    let job_query = JobQuery {
        status: query.text("status").map(status_filter).transpose()?,
        playbook: id_filter(&query, "playbookId", "playbook_id")?.map(PlaybookId),
        inventory: id_filter(&query, "inventoryId", "inventory_id")?.map(InventoryId),
        page,
    };
    let found = blocking(move || service.jobs(&job_query)).await?;
    let body = list::paged(&found, page, |job| JobSummaryBody::from(job));
    Ok(web::Json(Envelope::new(body, "查詢成功")))
}

/// The job with the last part of each playbook's output, read in one store call.
async fn job<S: JobStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<web::Json<Envelope<JobDetailBody>>, ApiError> {
    let id = job_id(&id)?;
    let detail = blocking(move || service.detail(&id)).await?;
    Ok(web::Json(Envelope::new(
        JobDetailBody::new(&detail)?,
        "查詢成功",
    )))
}

async fn cancel<S: JobStore>(
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, ApiError> {
    let id = job_id(&id)?;
    let job = blocking(move || service.cancel(&id)).await?;
    let body = Envelope::new(JobBody::new(&job)?, "已要求取消任務");
    Ok(HttpResponse::Accepted().json(body))
}

async fn output<S: JobStore>(
    req: HttpRequest,
    id: web::Path<String>,
    service: Service<S>,
) -> Result<HttpResponse, ApiError> {
    let id = job_id(&id)?;
    let query = ListQuery::from_request(&req)?;
    let playbook = id_filter(&query, "playbookId", "playbook_id")?
        .ok_or_else(|| ApiError::validation("playbookId: is required"))?;
    let offset = query.parsed::<u64>("offset", "a byte offset of at least 0")?;
    let offset = offset.unwrap_or(0);
    let read = blocking(move || service.output(&id, PlaybookId(playbook), offset)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("X-Output-Offset", read.next_offset.to_string()))
        .insert_header(("X-Output-Complete", read.complete.to_string()))
        .body(read.text))
}

fn op(id: &str, summary: &str) -> Op {
    Op::new(Area::Ansible, id, "jobs", summary)
}

fn with_job(op: Op) -> Op {
    op.path_param("jobId", typed(Type::String), "The id of the job (`job-…`).")
}

/// Adds the job routes; before the playbooks' `/playbooks/{id}`, which would take them.
pub fn register<S: JobStore + CatalogStore>(table: &mut RouteTable) {
    let execute_op = op(
        "executePlaybooks",
        "Run playbooks on an inventory, as a job",
    )
    .body::<ExecuteBody>()
    .answers::<Envelope<JobAccepted>>(202, "Queued.")
    .errors(&[400, 404, 413, 422]);
    table.add(Method::POST, "/playbooks/execute", execute::<S>, execute_op);
    let list_op = op("listJobs", "List jobs, newest first")
        .query(
            "status",
            one_of(&["queued", "running", "completed", "failed", "canceled"]),
            "Only jobs in this status.",
        )
        .query(
            "playbookId",
            typed(Type::Integer),
            "Only jobs that run this playbook.",
        )
        .query(
            "inventoryId",
            typed(Type::Integer),
            "Only jobs on this inventory.",
        )
        .query("page", typed(Type::Integer), "Page number, from 1.")
        .query(
            "per_page",
            typed(Type::Integer),
            "Page size, 1 to 100 (default 10); also `perPage`.",
        )
        .answers::<Envelope<Paged<JobSummaryBody>>>(
            200,
            "One page of summaries: no extraVars, no output (GET the job for those).",
        )
        .errors(&[422]);
    table.add(Method::GET, "/playbooks/jobs", jobs::<S>, list_op);
    let get_op = with_job(op(
        "getJob",
        "Get a job, with the last 64 KiB of each playbook's output",
    ))
    .answers::<Envelope<JobDetailBody>>(
        200,
        "Found. A playbook's output longer than 65536 bytes is its last part: \
         outputTruncated is true and outputOffset says where it starts; getJobOutput reads \
         the rest.",
    )
    .errors(&[404]);
    table.add(Method::GET, "/playbooks/jobs/{jobId}", job::<S>, get_op);
    let cancel_op = with_job(op("cancelJob", "Cancel a queued or running job"))
        .answers::<Envelope<JobBody>>(202, "Canceled, or asked to stop.")
        .errors(&[404, 409]);
    let cancel_path = "/playbooks/jobs/{jobId}/cancel";
    table.add(Method::POST, cancel_path, cancel::<S>, cancel_op);
    let output_op = with_job(op("getJobOutput", "A playbook's output from a byte offset"))
        .query(
            "playbookId",
            typed(Type::Integer),
            "The playbook of the job.",
        )
        .query(
            "offset",
            typed(Type::Integer),
            "The byte offset to read from (default 0).",
        )
        .answers_text(
            200,
            "text/plain",
            "The output from the offset; X-Output-Offset is the next offset, X-Output-Complete \
             whether more will come.",
        )
        .errors(&[404, 422]);
    let output_path = "/playbooks/jobs/{jobId}/output";
    table.add(Method::GET, output_path, output::<S>, output_op);
    let events_op = with_job(op("getJobEvents", "The job's output and status, live"))
        .answers_text(
            200,
            "text/event-stream",
            "`output` events (id: the chunk's sequence number; data: {playbookId, offset, \
             text}), `status` events (data: {status, playbooks: [{id, status}]}) and a final \
             `end`; `Last-Event-ID` resumes after that chunk.",
        )
        .errors(&[404]);
    let events_path = "/playbooks/jobs/{jobId}/events";
    table.add(Method::GET, events_path, events::events::<S>, events_op);
}
