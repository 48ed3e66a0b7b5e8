/** @type {AppTypes.Config} */
// OHIF configuration served by ohif-gateway at /app-config.js.
// The single data source is the gateway's own /pacs route: same origin, so no CORS and the
// browser's gateway login covers it. __DICOM_UPLOAD_ENABLED__ is filled in per user.
(function () {
  // The gateway's base URL, taken from this script's own address, so the data source follows
  // whatever context root the WAR is deployed under.
  const gatewayBase = new URL('.', document.currentScript.src).href.replace(/\/$/, '');
  const pacs = gatewayBase + '/pacs';

  window.config = {
    name: 'ohif-gateway',
    routerBasename: null,
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    maxNumberOfWebWorkers: 3,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: true,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    groupEnabledModesFirst: true,
    maxNumRequests: {
      interaction: 100,
      thumbnail: 5,
      prefetch: 25,
    },
    showErrorDetails: 'production',
    defaultDataSourceName: 'orthanc',
    dataSources: [
      {
        namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
        sourceName: 'orthanc',
        configuration: {
          friendlyName: 'Orthanc (through ohif-gateway)',
          name: 'orthanc',
          qidoRoot: pacs,
          wadoRoot: pacs,
          wadoUriRoot: pacs + '/wado',
          qidoSupportsIncludeField: true,
          supportsReject: false,
          imageRendering: 'wadors',
          // Orthanc's DICOMweb plugin 1.7 has no /thumbnail resource.
          thumbnailRendering: 'wadors',
          enableStudyLazyLoad: true,
          supportsFuzzyMatching: false,
          supportsWildcard: true,
          staticWado: false,
          singlepart: 'bulkdata,video',
          bulkDataURI: {
            enabled: true,
            relativeResolution: 'studies',
          },
          omitQuotationForMultipartRequest: true,
          dicomUploadEnabled: __DICOM_UPLOAD_ENABLED__,
        },
      },
    ],
  };
})();
