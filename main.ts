import { App } from 'cdktf';
import { environments } from './stacks/config';
import { PipelineStack } from './stacks/pipeline-stack';

// Wiring only: one stack per environment, named `<prefix>-<environment>`.
const app = new App();
for (const config of environments()) new PipelineStack(app, `${config.projectPrefix}-${config.environment}`, config);
app.synth();
