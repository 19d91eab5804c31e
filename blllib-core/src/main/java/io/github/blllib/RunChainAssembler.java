package io.github.blllib;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Builds a run's {@link RunChain} from its stages, source first: consecutive in-master stages
 * (and the windows of an off-thread window stage) become one {@link InMasterSegmentNode}, each
 * off-thread stage a {@link ParallelStageNode}, each async stage an {@link AsyncStageNode}. Stateless and window stages share one
 * {@link DrainerGroup} of n-cpu drainers on the worker pool; each stateful stage has a group of
 * its own, with one drainer on its dedicated thread.
 */
final class RunChainAssembler {

	/** Most items a stateless drainer claims at once. */
	private static final int MAX_CHUNK = 128;

	private final RunParts parts;

	private final RunState state;

	/** The pipeline's dead-letter handler, its calls marked in the run's state. */
	private final DeadLetterHandler deadLetters;

	private final List<DrainerGroup> groups = new ArrayList<>();

	private final List<ExecutorService> dedicatedExecutors = new ArrayList<>();

	private final List<DrainerGroup> dedicatedGroups = new ArrayList<>();

	private final List<InMasterChain> inMasterChains = new ArrayList<>();

	private final List<StageSpec<?, ?>> pendingStages = new ArrayList<>();

	private final List<StageCounters> pendingCounters = new ArrayList<>();

	private final List<AsyncStageNode> asyncStages = new ArrayList<>();

	private DrainerGroup workers;

	private RunChainAssembler(RunParts parts, RunState state) {
		this.parts = parts;
		this.state = state;
		this.deadLetters = state.marking(parts.deadLetters());
	}

	static RunChain assemble(RunParts parts, Iterable<?> inputs, RunState state) {
		return new RunChainAssembler(parts, state).assemble(new SourceNode(parts.pipeline(), inputs));
	}

	private RunChain assemble(SourceNode source) {
		if (this.parts.allInMaster()) {
			InMasterChain chain = new InMasterChain(this.parts.pipeline(), this.parts.stages(), this.parts.counters(), 0,
					this.deadLetters, source, this.state);
			return new RunChain(source, chain, source, List.of(chain), List.of(), List.of(), List.of(), List.of());
		}
		RunNode node = source;
		for (int i = 0; i < this.parts.stages().size(); i++) {
			StageSpec<?, ?> spec = this.parts.stages().get(i);
			StageCounters counters = this.parts.counters().get(i);
			if (spec.isRunInMaster()) {
				this.pendingStages.add(spec);
				this.pendingCounters.add(counters);
				continue;
			}
			node = segment(node, (spec.kind() == StageKind.WINDOW) ? spec.window() : 0);
			if (spec.isAsync()) {
				node = async(spec, counters, node);
			}
			else {
				node = (spec.kind() == StageKind.STATEFUL) ? stateful(spec, counters, node)
						: stateless(spec, counters, node);
			}
		}
		node = segment(node, 0);
		return new RunChain(source, null, node, List.copyOf(this.inMasterChains), List.copyOf(this.groups),
				List.copyOf(this.dedicatedExecutors), List.copyOf(this.dedicatedGroups), List.copyOf(this.asyncStages));
	}

	/** The pending in-master stages, and windows of {@code window} items, after {@code upstream}. */
	private RunNode segment(RunNode upstream, int window) {
		if (this.pendingStages.isEmpty() && window == 0) {
			return upstream;
		}
		InMasterChain chain = new InMasterChain(this.parts.pipeline(), List.copyOf(this.pendingStages),
				List.copyOf(this.pendingCounters), window, this.deadLetters, upstream, this.state);
		this.pendingStages.clear();
		this.pendingCounters.clear();
		this.inMasterChains.add(chain);
		return new InMasterSegmentNode(upstream, chain, this.state);
	}

	private RunNode stateful(StageSpec<?, ?> spec, StageCounters counters, RunNode upstream) {
		ExecutorService dedicated = this.parts.dedicatedExecutors().open(this.parts.pipeline(), spec.name());
		DrainerGroup own = new DrainerGroup(dedicated, 1, this.state);
		this.groups.add(own);
		this.dedicatedExecutors.add(dedicated);
		this.dedicatedGroups.add(own);
		return join(own, new ParallelStageNode(this.parts.pipeline(), spec, counters, upstream, this.state, own,
				this.deadLetters, spec.batchSize(), Math.max(1, spec.batchSize() / 4)));
	}

	private RunNode stateless(StageSpec<?, ?> spec, StageCounters counters, RunNode upstream) {
		if (this.workers == null) {
			this.workers = new DrainerGroup(this.parts.workerPool(), this.parts.nCpu(), this.state);
			this.groups.add(this.workers);
		}
		// a timed call that ignores its interrupt may hold its thread for good: it holds no other item
		int chunk = (spec.settings().timeout() != null) ? 1
				: Math.min(MAX_CHUNK, Math.max(1, spec.batchSize() / (2 * this.parts.nCpu())));
		return join(this.workers,
				new ParallelStageNode(this.parts.pipeline(), spec, counters, upstream, this.state, this.workers,
						this.deadLetters, chunk, chunk));
	}

	private RunNode async(StageSpec<?, ?> spec, StageCounters counters, RunNode upstream) {
		AsyncStageNode node = new AsyncStageNode(this.parts.pipeline(), spec, counters, upstream, this.state,
				this.deadLetters);
		this.asyncStages.add(node);
		return node;
	}

	private static ParallelStageNode join(DrainerGroup group, ParallelStageNode node) {
		group.add(node);
		return node;
	}

}
