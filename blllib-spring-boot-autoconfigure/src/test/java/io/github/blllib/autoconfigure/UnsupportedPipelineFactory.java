package io.github.blllib.autoconfigure;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;

/**
 * A user's own {@link PipelineFactory} bean, for tests that need one to exist; it creates
 * nothing.
 */
public class UnsupportedPipelineFactory implements PipelineFactory {

	@Override
	public <I, O> Pipeline<I, O> create(String pipelineName, String... stageNames) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <I, O> Pipeline<I, O> create(String pipelineName) {
		throw new UnsupportedOperationException();
	}

}
