// Steward dashboard client script: sorting and filtering of tables, charts (Chart.js) from the
// JSON blocks in the page, and a progress bar while the next page is computed. The pages read fully
// without it. No inline script or style anywhere: the Content-Security-Policy forbids both.
'use strict';

(function () {
  // ---- progress: reports can take a few seconds on big stores -----------------------------------
  function showProgress() {
    document.body.classList.add('loading');
    const bar = document.getElementById('progress');
    if (bar) bar.hidden = false;
  }
  document.addEventListener('click', function (e) {
    const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin === location.origin && !url.pathname.startsWith('/api/') && !a.classList.contains('sort')) showProgress();
  });
  document.addEventListener('submit', showProgress);
  window.addEventListener('pageshow', function () {
    document.body.classList.remove('loading');
  });

  // ---- sorting ------------------------------------------------------------------------------------
  function cellValue(row, index, numeric) {
    const cell = row.children[index];
    if (!cell) return null;
    const raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
    if (raw === '' || raw === '–') return null;
    if (numeric || cell.hasAttribute('data-sort')) {
      const n = Number(raw.replace(/[,%]/g, ''));
      if (!Number.isNaN(n)) return n;
    }
    return raw.toLowerCase();
  }

  function sortTable(table, th, dir) {
    const headers = Array.from(table.tHead.rows[0].cells);
    const index = headers.indexOf(th);
    const numeric = th.classList.contains('num');
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const sign = dir === 'asc' ? 1 : -1;
    rows.sort(function (a, b) {
      const x = cellValue(a, index, numeric);
      const y = cellValue(b, index, numeric);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    });
    for (const r of rows) body.appendChild(r);
    for (const h of headers) h.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
  }

  for (const table of document.querySelectorAll('table.sortable')) {
    table.tHead.addEventListener('click', function (e) {
      const link = e.target instanceof Element ? e.target.closest('a.sort') : null;
      if (!link) return;
      e.preventDefault();
      const th = link.closest('th');
      const dir = th.getAttribute('aria-sort') === 'descending' ? 'asc' : 'desc';
      sortTable(table, th, dir);
      // Keep the order bookmarkable: the server sorts the same way from the URL.
      const url = new URL(location.href);
      url.searchParams.set('sort', th.getAttribute('data-key'));
      url.searchParams.set('dir', dir);
      history.replaceState(null, '', url);
    });
  }

  // ---- filtering ----------------------------------------------------------------------------------
  for (const input of document.querySelectorAll('input[data-filter-for]')) {
    const table = document.getElementById(input.getAttribute('data-filter-for'));
    if (!table) continue;
    input.closest('.filter').hidden = false;
    input.addEventListener('input', function () {
      const needle = input.value.trim().toLowerCase();
      for (const row of table.tBodies[0].rows) row.hidden = needle !== '' && !row.textContent.toLowerCase().includes(needle);
    });
  }

  // ---- charts -------------------------------------------------------------------------------------
  const Chart = window.Chart;
  if (!Chart) return;
  const PALETTE = [
    '#4e79a7',
    '#f28e2b',
    '#e15759',
    '#76b7b2',
    '#59a14f',
    '#edc948',
    '#b07aa1',
    '#ff9da7',
    '#9c755f',
    '#bab0ac',
    '#1f77b4',
    '#d62728',
  ];
  const charts = [];

  function themeColors() {
    const style = getComputedStyle(document.body);
    return { text: style.color, grid: style.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.3)' };
  }

  // On a narrow screen (a phone) the legend leaves the canvas: it goes under the chart, folded.
  const narrow = window.matchMedia('(max-width: 640px)');

  function configFor(spec) {
    const colors = themeColors();
    const percent = !!spec.percent;
    const tick = function (v) {
      return percent ? Math.round(v * 1000) / 10 + '%' : v;
    };
    const scales = {
      x: {
        // On a phone the x axis keeps to one line of labels and no title, so the plot keeps its height.
        title: { display: !!spec.xTitle && !narrow.matches, text: spec.xTitle, color: colors.text },
        ticks: { color: colors.text, maxRotation: narrow.matches ? 0 : 60, autoSkipPadding: 8 },
        grid: { color: colors.grid },
      },
      y: {
        beginAtZero: true,
        max: typeof spec.yMax === 'number' ? spec.yMax : undefined,
        title: { display: !!spec.yTitle, text: spec.yTitle, color: colors.text },
        ticks: { color: colors.text, callback: tick },
        grid: { color: colors.grid },
      },
    };
    if (
      spec.series.some(function (s) {
        return s.axis === 'y2';
      })
    ) {
      scales.y2 = {
        position: 'right',
        beginAtZero: true,
        title: { display: !!spec.y2Title, text: spec.y2Title, color: colors.text },
        ticks: { color: colors.text },
        grid: { drawOnChartArea: false },
      };
    }
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.flatMap(function (s, i) {
          const color = PALETTE[i % PALETTE.length];
          const line = {
            label: s.label,
            data: s.data,
            yAxisID: s.axis || 'y',
            borderColor: color,
            backgroundColor: spec.type === 'bar' ? color : color,
            stepped: s.stepped ? 'before' : false,
            pointRadius: spec.labels.length > 40 ? 0 : 2,
            borderWidth: 2,
            spanGaps: !spec.gaps,
          };
          if (!s.band) return [line];
          // The 95% band: its lower edge, then its upper edge filled down to it; no legend entries.
          const edge = function (data, fill) {
            return {
              label: s.label + ' (95% band)',
              band: true,
              data: data,
              yAxisID: s.axis || 'y',
              borderWidth: 0,
              pointRadius: 0,
              stepped: s.stepped ? 'before' : false,
              backgroundColor: color + '33',
              fill: fill,
              spanGaps: false,
            };
          };
          return [line, edge(s.band.low, false), edge(s.band.high, '-1')];
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: scales,
        plugins: {
          legend: {
            display: !narrow.matches,
            labels: {
              color: colors.text,
              filter: function (item, data) {
                return !data.datasets[item.datasetIndex].band;
              },
            },
          },
          tooltip: {
            callbacks: {
              label: function (c) {
                return c.dataset.label + ': ' + (c.parsed.y === null ? '–' : tick(c.parsed.y));
              },
            },
            filter: function (item) {
              return !item.dataset.band;
            },
          },
        },
      },
    };
  }

  // The legend as a list under the chart, folded (shown on narrow screens instead of the canvas's own).
  function htmlLegend(spec) {
    const box = document.createElement('details');
    box.className = 'chart-legend';
    const summary = document.createElement('summary');
    summary.textContent = 'Legend (' + spec.series.length + (spec.series.length === 1 ? ' line)' : ' lines)');
    box.appendChild(summary);
    const list = document.createElement('ul');
    spec.series.forEach(function (s, i) {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = PALETTE[i % PALETTE.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.label));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const data = document.getElementById(canvas.getAttribute('data-chart'));
    if (!data) continue;
    const spec = JSON.parse(data.textContent);
    const legend = htmlLegend(spec);
    legend.hidden = !narrow.matches;
    canvas.parentNode.after(legend);
    charts.push({ chart: new Chart(canvas, configFor(spec)), spec: spec, legend: legend });
  }

  // Light and dark schemes, and wide or narrow screens: redraw with the scheme's colours and the legend's place.
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  narrow.addEventListener('change', redraw);
  media.addEventListener('change', redraw);
  function redraw() {
    for (const c of charts) {
      c.legend.hidden = !narrow.matches;
      const next = configFor(c.spec);
      c.chart.options = next.options;
      c.chart.data.datasets.forEach(function (d, i) {
        Object.assign(d, next.data.datasets[i]);
      });
      c.chart.update();
    }
  }
})();
