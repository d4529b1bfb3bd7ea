"""What the dashboards show, read from the pre-computed aggregates (analytics.models).

- `contract`: the `Dashboard` / `Table` contract shared by the dashboard pages, the exports
  and the PDF report, and the filters as a URL;
- `cells`: sums read from the aggregate cells, shared by both dashboards;
- `agency`: the agency dashboard (HR managers and platform administrators);
- `partner`: the partner dashboard (content partners' authors and reviewers, platform staff).

Scoping comes only from people.permissions (visible_units / visible_people).
"""
