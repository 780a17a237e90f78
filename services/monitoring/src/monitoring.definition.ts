import type { ServiceDefinition } from '@mgov/http-edge';
import { MonitoringService } from './application/monitoring-service';
import { monitoringOptionsFromEnv } from './application/monitoring-settings';
import { MonitoringHttpModule } from './http/monitoring-http.module';

export const monitoringDefinition: ServiceDefinition = {
  name: 'monitoring',
  create(runtime, settings) {
    const monitoring = new MonitoringService(runtime, monitoringOptionsFromEnv(settings.monitoringWindowSize));
    return { module: monitoring.module, http: MonitoringHttpModule.register(monitoring) };
  },
};
