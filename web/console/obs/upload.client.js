// The object browser's upload, done by the browser: the file is cut into 8 MiB parts sent one after the other as a
// multipart upload through the Console's routes (XMLHttpRequest, because fetch cannot report upload progress), with
// a progress bar; once complete, the page is loaded again to list the object. Without JavaScript, or for an empty
// file, the form posts the file as it is.
(() => {
  const box = document.getElementById('uploader');
  const form = document.getElementById('upload-form');
  if (!box || !form) return;
  const PART = 8 * 1024 * 1024;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const base = box.dataset.uploads;
  const shown = document.getElementById('upload-progress-box');
  const bar = document.getElementById('upload-progress');
  const message = document.getElementById('upload-message');
  const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;

  /** Sends one request; resolves with its JSON answer, rejects with the words of a refusal. */
  const send = (method, url, body, onProgress) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader('X-CSRF-Token', csrf);
      xhr.setRequestHeader('Content-Type', typeof body === 'string' ? 'application/json' : 'application/octet-stream');
      if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        let answer = {};
        try {
          answer = xhr.responseText ? JSON.parse(xhr.responseText) : {};
        } catch {
          // A page (a refused session, say) instead of JSON: the status says enough.
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(answer);
        else reject(new Error(answer.message || `The upload was refused (HTTP ${xhr.status}).`));
      };
      xhr.onerror = () => reject(new Error('The connection was lost during the upload.'));
      xhr.send(body);
    });

  const uploadFile = async (file, key) => {
    const { uploadId } = await send('POST', base, JSON.stringify({ key, type: file.type }));
    const at = `${base}/${encodeURIComponent(uploadId)}`;
    try {
      const parts = [];
      for (let n = 1, start = 0; start < file.size; n++, start += PART) {
        const piece = file.slice(start, Math.min(start + PART, file.size));
        const { etag } = await send('PUT', `${at}/parts/${n}?key=${encodeURIComponent(key)}`, piece, (loaded) => {
          bar.value = start + loaded;
          message.textContent = `Uploading ${key}: ${mib(start + loaded)} of ${mib(file.size)}`;
        });
        parts.push({ partNumber: n, etag });
      }
      await send('POST', `${at}/complete`, JSON.stringify({ key, parts }));
    } catch (err) {
      send('POST', `${at}/abort`, JSON.stringify({ key })).catch(() => {});
      throw err;
    }
  };

  form.addEventListener('submit', async (event) => {
    const file = form.elements.file.files[0];
    if (!file || file.size === 0) return;
    event.preventDefault();
    const key = box.dataset.prefix + (form.elements.name.value.trim() || file.name);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    shown.hidden = false;
    bar.max = file.size;
    bar.value = 0;
    message.textContent = `Uploading ${key}: 0.0 of ${mib(file.size)}`;
    try {
      await uploadFile(file, key);
      bar.value = file.size;
      message.textContent = `Upload complete: ${key} (${mib(file.size)}).`;
      window.location.assign(box.dataset.browse);
    } catch (err) {
      message.textContent = `The upload of ${key} failed: ${err.message}`;
      button.disabled = false;
    }
  });
})();
