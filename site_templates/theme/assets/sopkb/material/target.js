/* Material for MkDocs 9.8.1, templates/partials/javascripts/content.html (MIT licence, (c) Martin Donath),
   moved from an inline <script> into this file, so the pages' Content-Security-Policy allows no
   inline script at all. The partial of the same name in site_templates/theme loads it. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
