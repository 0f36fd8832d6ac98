/* Mulin's only script. Pages work without it; it only enhances.
 *
 * Charts: a page that shows a chart includes partials/echarts.html in {% block scripts %},
 * renders its ECharts option with {{ option|json_script:"visits-chart" }} and a container
 * <div class="chart" data-chart="visits-chart" role="img" aria-label="…"></div>, with the
 * same figures as a table next to it for screen readers and for JavaScript off.
 * No inline scripts anywhere, so a strict Content-Security-Policy can be used.
 */
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.echarts) {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (window.echarts.getInstanceByDom(el)) {
        return;
      }
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(JSON.parse(source.textContent));
    });
  }

  function resizeCharts() {
    if (!window.echarts) {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) {
        chart.resize();
      }
    });
  }

  // A table wider than the screen scrolls inside its .table-wrap; keyboard users need to
  // reach that box to scroll it (WCAG 2.1.1). Templates should add tabindex="0",
  // role="region" and a label themselves; this covers those that did not.
  function makeScrollableTablesFocusable(root) {
    root.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) {
        return;
      }
      wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("role")) {
        wrap.setAttribute("role", "region");
      }
      var caption = wrap.querySelector("caption");
      if (caption && !wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        if (!caption.id) {
          caption.id = "table-caption-" + Math.random().toString(36).slice(2, 8);
        }
        wrap.setAttribute("aria-labelledby", caption.id);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    makeScrollableTablesFocusable(document);
    window.addEventListener("resize", resizeCharts);
    // Content swapped in by htmx gets the same treatment.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      drawCharts(event.target);
      makeScrollableTablesFocusable(event.target);
    });
  });
})();
