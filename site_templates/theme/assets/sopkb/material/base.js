/* Material for MkDocs 9.8.1, templates/partials/javascripts/base.html (MIT licence, (c) Martin Donath),
   moved from an inline <script> into this file, so the pages' Content-Security-Policy allows no
   inline script at all. The partial of the same name in site_templates/theme loads it. */
__md_scope=new URL(document.currentScript.dataset.scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
