/** @type {AppTypes.Config} */
// OHIF configuration served by ohif-gateway at /app-config.js.
// The single data source is the gateway's own /pacs route: same origin, so no CORS and the
// browser's gateway login covers it. __VIEWER_SETTINGS__ is filled in with the gateway.viewer.*
// settings (see ViewerSettings), the upload switch per user.
(function () {
  const settings = __VIEWER_SETTINGS__;

  // The gateway's base URL, taken from this script's own address, so the data source follows
  // whatever context root the WAR is deployed under.
  const gatewayBase = new URL('.', document.currentScript.src).href.replace(/\/$/, '');
  const pacs = gatewayBase + '/pacs';

  // OHIF 3.13 has no configuration key for the default workflow (the mode a double-clicked study
  // opens in): it is the user's choice, kept in localStorage. The configured mode is put there
  // as long as the value there is still the one the gateway put (or there is none yet), so a
  // user's own choice, "No Default" included, is kept.
  function presetDefaultMode(modeId) {
    const chosen = 'studyList.defaultWorkflow';
    const preset = 'ohif-gateway.defaultWorkflow';
    if (localStorage.getItem(chosen) !== localStorage.getItem(preset)) {
      return;
    }
    if (modeId === null) {
      localStorage.removeItem(chosen);
      localStorage.removeItem(preset);
    } else {
      localStorage.setItem(chosen, modeId);
      localStorage.setItem(preset, modeId);
    }
  }

  // Nor for the study list's page size: the list takes it from the page's sessionStorage, else
  // from the address (resultsPerPage), else 50. It is put into sessionStorage when neither has
  // one, so an address that names a page or page size (a shared link) still wins.
  function presetStudyListPageSize(pageSize) {
    const state = 'studyList.tableState';
    const named = Array.from(new URLSearchParams(window.location.search).keys())
      .some(key => /^(resultsperpage|pagenumber)$/i.test(key));
    if (pageSize === null || named || sessionStorage.getItem(state) !== null) {
      return;
    }
    sessionStorage.setItem(state, JSON.stringify({ pagination: { pageIndex: 0, pageSize: pageSize } }));
  }

  presetDefaultMode(settings.defaultMode);
  presetStudyListPageSize(settings.studyListPageSize);
  if (settings.title !== null) {
    // After the page's own <title>, which comes after this script.
    document.addEventListener('DOMContentLoaded', () => {
      document.title = settings.title;
    });
  }

  window.config = {
    name: 'ohif-gateway',
    routerBasename: null,
    extensions: [],
    modes: [],
    // The guided tour is the customization 'ohif.tours' (the viewer route's tour by default).
    customizationService: settings.tour ? {} : { 'ohif.tours': { $set: [] } },
    investigationalUseDialog: { option: settings.investigationalUseNotice ? 'always' : 'never' },
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
          friendlyName: settings.dataSourceName,
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
          dicomUploadEnabled: settings.upload,
        },
      },
    ],
  };

  if (settings.title !== null) {
    // In place of OHIF's logo, in the study list's and the viewer's header; React renders it as text.
    window.config.whiteLabeling = {
      createLogoComponentFn: React =>
        React.createElement('span', { className: 'text-primary whitespace-nowrap text-lg font-medium' }, settings.title),
    };
  }
})();
