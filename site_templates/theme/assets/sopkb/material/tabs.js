/* Material for MkDocs 9.8.1, templates/partials/javascripts/content.html (MIT licence, (c) Martin Donath),
   moved from an inline <script> into this file, so the pages' Content-Security-Policy allows no
   inline script at all. The partial of the same name in site_templates/theme loads it. */
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
