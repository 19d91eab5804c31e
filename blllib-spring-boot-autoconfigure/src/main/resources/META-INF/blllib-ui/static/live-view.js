// The live view: fetches the blllib actuator endpoint every second and draws every open
// pipeline as its row of stages, with what each stage's failure policy did. Items/s come from
// the change of each stage's processed count between two fetches.
(function () {
	'use strict';

	const REFRESH_MILLIS = 1000;
	// What a stage's failure policy did, each named as the endpoint names it.
	const POLICY_FIGURES = ['retries', 'skipped', 'timeouts'];
	const endpoint = document.querySelector('meta[name="blllib-endpoint"]').content;
	const pipelinesElement = document.getElementById('pipelines');
	const rendered = new Map();
	let previous = new Map();

	function element(tag, className, text) {
		const created = document.createElement(tag);
		if (className) {
			created.className = className;
		}
		if (text !== undefined) {
			created.textContent = text;
		}
		return created;
	}

	function field(name, text) {
		const span = element('span', null, text);
		span.dataset.field = name;
		return span;
	}

	function setField(parent, name, text) {
		parent.querySelector('[data-field="' + name + '"]').textContent = text;
	}

	function formatCount(value) {
		return Math.round(value).toLocaleString('en-US');
	}

	function formatRate(rate) {
		if (rate === undefined) {
			return '\u2013';
		}
		return (rate >= 100) ? formatCount(rate) : rate.toFixed(1);
	}

	function formatMillis(millis) {
		if (millis === 0) {
			return '\u2013';
		}
		if (millis < 1) {
			return (millis * 1000).toFixed(1) + ' \u00b5s';
		}
		return millis.toFixed(millis < 10 ? 2 : 0) + ' ms';
	}

	function kindOf(stage) {
		const kind = stage.async ? ((stage.kind === 'WINDOW') ? 'async window' : 'async') : stage.kind.toLowerCase();
		const window = (stage.kind === 'WINDOW') ? ' of ' + stage.window : '';
		return kind + window + (stage.runInMaster ? ' \u00b7 in master' : '');
	}

	// A timeout as the endpoint gives it, an ISO-8601 duration of hours, minutes and seconds
	// (PT1M30S, PT0.5S), in words: 1 min 30 s, 500 ms.
	function formatDuration(iso) {
		const parts = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
		if (!parts) {
			return iso;
		}
		const [hours, minutes, seconds] = [parts[1], parts[2], parts[3]].map((part) => Number(part || 0));
		if (hours === 0 && minutes === 0 && seconds < 1) {
			return Math.round(seconds * 1000) + ' ms';
		}
		const words = [];
		if (hours > 0) {
			words.push(hours + ' h');
		}
		if (minutes > 0) {
			words.push(minutes + ' min');
		}
		if (seconds > 0) {
			words.push(Number(seconds.toFixed(3)) + ' s');
		}
		return words.join(' ');
	}

	// The stage's failure policy and rate limit in a few words, or null when it has neither (the
	// first failure fails the run, calls start as fast as they can).
	function policyOf(stage) {
		const words = [];
		if (stage.rateLimit) {
			words.push('rate limit ' + formatCount(stage.rateLimit.permits) + ' per '
				+ formatDuration(stage.rateLimit.period));
		}
		if (stage.maxRetries !== null && stage.maxRetries !== undefined) {
			words.push('retry up to ' + stage.maxRetries + '\u00d7');
		}
		if (stage.skipFailures) {
			words.push('skip failures' + ((stage.skipLimit !== null && stage.skipLimit !== undefined)
				? ' (limit ' + formatCount(stage.skipLimit) + ' a run)' : ''));
		}
		if (stage.timeout) {
			words.push('timeout ' + formatDuration(stage.timeout));
		}
		return (words.length > 0) ? words.join(' \u00b7 ') : null;
	}

	function setMeter(fill, used, capacity) {
		const ratio = (capacity > 0) ? Math.min(used / capacity, 1) : 0;
		fill.style.width = (ratio * 100) + '%';
		fill.classList.toggle('busy', ratio > 0 && ratio < 1);
		fill.classList.toggle('full', ratio >= 1);
	}

	function stageElement(stage) {
		const card = element('article', 'stage');
		card.dataset.stage = stage.name;
		card.append(element('h3', null, stage.name), element('span', 'kind', kindOf(stage)));
		const meter = element('div', 'meter');
		meter.setAttribute('aria-hidden', 'true');
		meter.append(element('div', 'fill'));
		const inFlight = element('p', 'in-flight');
		inFlight.append(field('inFlight', '0'), ' / ', field('batchSize', String(stage.batchSize)), ' in flight');
		const figures = element('dl');
		for (const [name, label] of [['rate', 'items/s'], ['processed', 'processed'], ['errors', 'failures'],
			['dropped', 'dropped'], ['meanDuration', 'mean time'], ['activeThreads', 'threads']]) {
			const value = element('dd');
			value.dataset.field = name;
			figures.append(element('dt', null, label), value);
		}
		const failures = element('p', 'policy-figures');
		POLICY_FIGURES.forEach((name, index) => {
			if (index > 0) {
				failures.append(' \u00b7 ');
			}
			const figure = element('span', 'figure', name + ' ');
			figure.append(field(name, '0'));
			failures.append(figure);
		});
		card.append(meter, inFlight, figures, failures);
		const policy = policyOf(stage);
		if (policy) {
			const caption = element('p', 'policy');
			caption.append(field('policy', policy));
			card.append(caption);
		}
		return card;
	}

	function pipelineElement(pipeline) {
		const section = element('section', 'pipeline');
		section.dataset.pipeline = pipeline.name;
		const header = element('div', 'pipeline-header');
		const run = element('span', 'badge');
		run.dataset.field = 'run';
		const position = element('span', 'badge');
		position.dataset.field = 'position';
		position.title = 'The first input an output not yet delivered needs: where a restart would resume';
		header.append(element('h2', null, pipeline.name), run, position,
			element('span', 'badge', pipeline.sequential ? 'sequential' : 'n-cpu ' + pipeline.nCpu));
		const stages = element('div', 'stages');
		pipeline.stages.forEach((stage, index) => {
			if (index > 0) {
				stages.append(element('span', 'arrow', '\u2192'));
			}
			stages.append(stageElement(stage));
		});
		section.append(header, stages);
		return section;
	}

	function updateStage(card, stage, rate) {
		setMeter(card.querySelector('.fill'), stage.inFlight, stage.batchSize);
		setField(card, 'inFlight', String(stage.inFlight));
		setField(card, 'rate', formatRate(rate));
		setField(card, 'processed', formatCount(stage.processed));
		setField(card, 'errors', formatCount(stage.errors));
		card.querySelector('[data-field="errors"]').classList.toggle('bad', stage.errors > 0);
		setField(card, 'dropped', formatCount(stage.dropped));
		setField(card, 'meanDuration', formatMillis(stage.meanDurationMillis));
		setField(card, 'activeThreads', String(stage.activeThreads));
		for (const name of POLICY_FIGURES) {
			setField(card, name, formatCount(stage[name]));
			card.querySelector('[data-field="' + name + '"]').classList.toggle('noted', stage[name] > 0);
		}
	}

	// Pipelines of the same name are told apart by their order of creation.
	function keysOf(pipelines) {
		const seen = new Map();
		return pipelines.map((pipeline) => {
			const occurrence = seen.get(pipeline.name) || 0;
			seen.set(pipeline.name, occurrence + 1);
			return pipeline.name + '#' + occurrence + ':' + pipeline.stages.map((stage) => stage.name).join(',');
		});
	}

	function drawPipelines(pipelines, now) {
		const keys = keysOf(pipelines);
		const current = new Map();
		for (const [key, section] of rendered) {
			if (!keys.includes(key)) {
				section.remove();
				rendered.delete(key);
			}
		}
		pipelines.forEach((pipeline, index) => {
			const key = keys[index];
			let section = rendered.get(key);
			if (!section) {
				section = pipelineElement(pipeline);
				rendered.set(key, section);
			}
			pipelinesElement.append(section);
			const run = section.querySelector('[data-field="run"]');
			run.textContent = pipeline.hasOpenRun ? 'running' : 'idle';
			run.classList.toggle('running', pipeline.hasOpenRun);
			const position = section.querySelector('[data-field="position"]');
			const hasPosition = pipeline.position !== null && pipeline.position !== undefined;
			position.hidden = !hasPosition;
			position.textContent = hasPosition ? 'at input ' + formatCount(pipeline.position) : '';
			const cards = section.querySelectorAll('.stage');
			pipeline.stages.forEach((stage, stageIndex) => {
				const stageKey = key + '/' + stageIndex;
				const before = previous.get(stageKey);
				const rate = (before && stage.processed >= before.processed && now > before.time)
					? (stage.processed - before.processed) * 1000 / (now - before.time) : undefined;
				current.set(stageKey, { processed: stage.processed, time: now });
				updateStage(cards[stageIndex], stage, rate);
			});
		});
		previous = current;
	}

	function drawWorkerPool(pool) {
		const section = document.getElementById('worker-pool');
		section.hidden = !pool;
		if (pool) {
			setMeter(section.querySelector('.fill'), pool.active, pool.maxPoolSize);
			setField(section, 'active', String(pool.active));
			setField(section, 'maxPoolSize', String(pool.maxPoolSize));
			setField(section, 'threadKind', pool.virtualThreads ? 'virtual ' : '');
			setField(section, 'poolSize', String(pool.poolSize));
			setField(section, 'queued', formatCount(pool.queued));
		}
	}

	// Each Kafka job of blllib.kafka.jobs: its pipeline, status and commits, and a row per assigned
	// partition with the offsets delivered and committed. Redrawn whole: a job has few partitions.
	function kafkaJobElement(job) {
		const article = element('article', 'kafka-job');
		article.dataset.job = job.name;
		const header = element('div', 'pipeline-header');
		const status = element('span', 'badge', job.status.toLowerCase());
		status.classList.toggle('running', job.status === 'RUNNING');
		status.classList.toggle('bad', job.status === 'FAILED');
		header.append(element('h3', null, job.name), element('span', 'badge', 'pipeline ' + job.pipeline), status,
			element('span', 'badge', formatCount(job.uncommittedRecords) + ' uncommitted'),
			element('span', 'badge', formatCount(job.commits) + ' commits'),
			element('span', 'badge', formatCount(job.rebalances) + ' rebalances'));
		article.append(header);
		if (job.failure) {
			article.append(element('p', 'bad', job.failure));
		}
		const table = element('table', 'partitions');
		const head = element('tr');
		['topic', 'partition', 'delivered', 'committed'].forEach((name) => head.append(element('th', null, name)));
		table.append(head);
		for (const partition of job.partitions) {
			const row = element('tr');
			row.dataset.partition = partition.topic + '-' + partition.partition;
			[partition.topic, String(partition.partition), offsetOf(partition.delivered), offsetOf(partition.committed)]
				.forEach((text) => row.append(element('td', null, text)));
			table.append(row);
		}
		article.append(table);
		return article;
	}

	function offsetOf(offset) {
		return (offset < 0) ? '\u2013' : formatCount(offset);
	}

	function drawKafkaJobs(jobs) {
		const section = document.getElementById('kafka-jobs');
		section.hidden = jobs.length === 0;
		section.querySelector('[data-field="jobs"]').replaceChildren(...jobs.map(kafkaJobElement));
	}

	function drawEmptyState(body) {
		document.getElementById('empty').hidden = body.pipelines.length > 0;
		const stageBeans = document.getElementById('stage-beans');
		stageBeans.hidden = body.stages.length === 0;
		setField(stageBeans, 'stageBeans', body.stages.map((stage) => stage.name).join(', '));
	}

	function showStatus(text, error) {
		const status = document.getElementById('status');
		status.textContent = text;
		status.classList.toggle('error', error);
	}

	async function refresh() {
		try {
			const response = await fetch(endpoint, { cache: 'no-store', headers: { Accept: 'application/json' } });
			if (!response.ok) {
				throw new Error('HTTP ' + response.status
					+ ' (is the endpoint exposed? management.endpoints.web.exposure.include=blllib)');
			}
			const body = await response.json();
			drawWorkerPool(body.workerPool);
			drawPipelines(body.pipelines, performance.now());
			drawKafkaJobs(body.kafkaJobs || []);
			drawEmptyState(body);
			const open = body.pipelines.length;
			showStatus(open + ' open pipeline' + (open === 1 ? '' : 's') + ' \u00b7 updated '
				+ new Date().toLocaleTimeString(), false);
		}
		catch (error) {
			showStatus('Cannot read ' + endpoint + ': ' + error.message, true);
		}
		finally {
			setTimeout(refresh, REFRESH_MILLIS);
		}
	}

	const link = document.getElementById('endpoint-link');
	link.href = endpoint;
	link.querySelector('code').textContent = new URL(endpoint, document.baseURI).pathname;
	refresh();
}());
